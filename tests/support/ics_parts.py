"""Reads calendar files with Python's `icalendar` and prints what they hold as JSON.

Arguments: `.eml` files (their `text/calendar` parts are read) or `.ics` files. For each
calendar: the METHOD (and, from an email, the part's `method=` parameter and file name);
for each VEVENT its UID, SEQUENCE, STATUS, SUMMARY, LOCATION and its start and end in
UTC, converted twice: by the parser (which knows the TZID) and by the file's own
VTIMEZONE, so a wrong VTIMEZONE shows as a difference. Exits non-zero when a file does
not parse.
"""

import email
import email.policy
import json
import sys
import uuid
from datetime import timezone

import icalendar


def utc(value):
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def by_vtimezone(text):
    """Each VEVENT's start and end in UTC read through the file's own VTIMEZONE: the parser
    takes a zone it knows by name (Europe/Brussels) from its own database, so the zones are
    renamed to names nobody knows (and unique, as the parser caches zones by name) first."""
    cal = icalendar.Calendar.from_ical(text)
    for zone in cal.walk("VTIMEZONE"):
        tzid = str(zone.get("TZID"))
        unknown = f"X-Under-Test-{uuid.uuid4().hex}"
        text = text.replace(f"TZID:{tzid}\r\n", f"TZID:{unknown}\r\n")
        text = text.replace(f"TZID={tzid}:", f"TZID={unknown}:")
    renamed = icalendar.Calendar.from_ical(text)
    return [
        (utc(e.get("DTSTART").dt), utc(e.get("DTEND").dt)) for e in renamed.walk("VEVENT")
    ]


def read(text, origin):
    cal = icalendar.Calendar.from_ical(text)
    own = by_vtimezone(text)
    events = []
    for event, (own_start, own_end) in zip(cal.walk("VEVENT"), own):
        events.append(
            {
                "uid": str(event.get("UID")),
                "sequence": int(event.get("SEQUENCE", 0)),
                "status": str(event.get("STATUS", "")),
                "summary": str(event.get("SUMMARY", "")),
                "location": str(event.get("LOCATION", "")),
                "start": utc(event.get("DTSTART").dt),
                "end": utc(event.get("DTEND").dt),
                "start_by_vtimezone": own_start,
                "end_by_vtimezone": own_end,
                "tzid": event.get("DTSTART").params.get("TZID"),
                "organizer": str(event.get("ORGANIZER", "")),
                "attendee": str(event.get("ATTENDEE", "")),
            }
        )
    return dict(
        origin,
        method=str(cal.get("METHOD", "")),
        timezones=[str(z.get("TZID")) for z in cal.walk("VTIMEZONE")],
        events=events,
        text=text,
    )


def main():
    out = []
    for path in sys.argv[1:]:
        with open(path, "rb") as f:
            raw = f.read()
        if path.endswith(".eml"):
            message = email.message_from_bytes(raw, policy=email.policy.default)
            for part in message.walk():
                if part.get_content_type() != "text/calendar":
                    continue
                out.append(
                    read(
                        part.get_content(),
                        {
                            "file": path,
                            "subject": str(message["Subject"]),
                            "content_method": part.get_param("method"),
                            "filename": part.get_filename(),
                        },
                    )
                )
        else:
            out.append(read(raw.decode("utf-8"), {"file": path}))
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
