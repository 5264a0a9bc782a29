//! Writing iCalendar (RFC 5545) files with the `ics` crate, for the calendar files emails
//! carry and for the calendar feeds: the event's time zone as a VTIMEZONE built from
//! chrono-tz (its offset changes in the years the entries fall in), entries in local time
//! with `TZID`, one METHOD per file.

use std::borrow::Cow;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Offset, TimeZone, Utc};
use chrono_tz::{OffsetComponents, OffsetName, Tz};
use ics::components::{Parameter, Property};
use ics::properties::{
    Description, LastModified, Location, Method as MethodProperty, Sequence, Status, Summary,
    TzName,
};
use ics::{Daylight, Event, ICalendar, Standard};
use serde::{Deserialize, Serialize};

/// The iTIP method of a calendar file (RFC 5546): one per file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    /// A subscribed feed: no invitation, just the entries.
    Publish,
    /// A new or changed entry.
    Request,
    /// A cancelled entry.
    Cancel,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Publish => "PUBLISH",
            Method::Request => "REQUEST",
            Method::Cancel => "CANCEL",
        }
    }
}

/// One calendar file of an email: `text/calendar; method=...` named `filename`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarPart {
    pub method: Method,
    pub filename: String,
    pub content: String,
}

/// One entry of a person's calendar: a meeting or a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The event's time zone: the times are written in it.
    pub tz: Tz,
    /// Stable for the meeting or session sign-up, whatever changes.
    pub uid: String,
    /// Raised on every change the person is told about.
    pub sequence: i32,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub summary: String,
    /// The room or table.
    pub location: Option<String>,
    pub description: String,
    pub cancelled: bool,
    pub updated_at: DateTime<Utc>,
}

/// A person named in a calendar file (ORGANIZER, ATTENDEE).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    pub name: String,
    pub email: String,
}

/// What one calendar file holds.
pub struct Calendar<'a> {
    pub method: Method,
    pub entries: &'a [Entry],
    /// The sender of invitations (required by iTIP for REQUEST and CANCEL).
    pub organizer: Option<&'a Party>,
    /// The reader, for invitations.
    pub attendee: Option<&'a Party>,
    /// The feed's name, shown by calendar programs.
    pub name: Option<&'a str>,
    pub now: DateTime<Utc>,
}

const PRODID: &str = "-//matchfloor//matchfloor//EN";

/// `20270328T140000` (a local or UTC date-time without its zone).
fn stamp(t: chrono::NaiveDateTime) -> String {
    t.format("%Y%m%dT%H%M%S").to_string()
}

fn utc_stamp(t: DateTime<Utc>) -> String {
    format!("{}Z", stamp(t.naive_utc()))
}

/// A parameter value in double quotes (names may hold `,`, `;` or `:`); a double quote or a
/// control character cannot be quoted, so they become spaces.
fn quoted(value: &str) -> String {
    let clean: String = value
        .chars()
        .map(|c| if c == '"' || c.is_control() { ' ' } else { c })
        .collect();
    format!("\"{}\"", clean.trim())
}

fn cal_address<'a>(key: &'a str, party: &Party, attendee: bool) -> Property<'a> {
    let mut property = Property::new(key, format!("mailto:{}", party.email));
    property.add(Parameter::new("CN", quoted(&party.name)));
    if attendee {
        property.add(Parameter::new("ROLE", "REQ-PARTICIPANT"));
        property.add(Parameter::new("PARTSTAT", "ACCEPTED"));
        property.add(Parameter::new("RSVP", "FALSE"));
    }
    property
}

/// `DTSTART;TZID=Europe/Amsterdam:20270328T140000`: the local time in the event's zone.
fn local_time(key: &'static str, tz: Tz, at: DateTime<Utc>) -> Property<'static> {
    let mut property = Property::new(key, stamp(at.with_timezone(&tz).naive_local()));
    property.add(Parameter::new("TZID", tz.name()));
    property
}

/// Writes the calendar file.
pub fn write(calendar: &Calendar<'_>) -> String {
    let mut ical = ICalendar::new("2.0", PRODID);
    ical.push(Property::new("CALSCALE", "GREGORIAN"));
    ical.push(MethodProperty::new(calendar.method.as_str()));
    if let Some(name) = calendar.name {
        ical.push(Property::new(
            "X-WR-CALNAME",
            ics::escape_text(name.to_string()),
        ));
    }
    // One VTIMEZONE per zone the entries use (a feed spans events).
    let mut zones: Vec<Tz> = calendar.entries.iter().map(|e| e.tz).collect();
    zones.sort_by_key(|tz| tz.name());
    zones.dedup();
    for tz in zones {
        let of_zone: Vec<&Entry> = calendar.entries.iter().filter(|e| e.tz == tz).collect();
        if let Some(zone) = vtimezone(tz, &of_zone) {
            ical.add_timezone(zone);
        }
    }
    let dtstamp = utc_stamp(calendar.now);
    for entry in calendar.entries {
        let mut event = Event::new(entry.uid.clone(), dtstamp.clone());
        event.push(Sequence::new(entry.sequence.to_string()));
        event.push(local_time("DTSTART", entry.tz, entry.starts_at));
        event.push(local_time("DTEND", entry.tz, entry.ends_at));
        event.push(Summary::new(ics::escape_text(entry.summary.clone())));
        if let Some(location) = &entry.location {
            event.push(Location::new(ics::escape_text(location.clone())));
        }
        if !entry.description.is_empty() {
            event.push(Description::new(ics::escape_text(
                entry.description.clone(),
            )));
        }
        event.push(LastModified::new(utc_stamp(entry.updated_at)));
        event.push(if entry.cancelled || calendar.method == Method::Cancel {
            Status::cancelled()
        } else {
            Status::confirmed()
        });
        event.push(Property::new("TRANSP", "OPAQUE"));
        if let Some(organizer) = calendar.organizer {
            event.push(cal_address("ORGANIZER", organizer, false));
        }
        if let Some(attendee) = calendar.attendee {
            event.push(cal_address("ATTENDEE", attendee, true));
        }
        ical.add_event(event);
    }
    ical.to_string()
}

/// A change of the zone's offset: when (UTC), and the offsets before and after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Transition {
    at: DateTime<Utc>,
    from: chrono_tz::TzOffset,
    to: chrono_tz::TzOffset,
}

fn offset_at(tz: Tz, at: DateTime<Utc>) -> chrono_tz::TzOffset {
    tz.offset_from_utc_datetime(&at.naive_utc())
}

fn seconds(offset: &chrono_tz::TzOffset) -> i32 {
    offset.fix().local_minus_utc()
}

/// The offset changes of `tz` from the start of `first` to the end of `last` (years):
/// probed a day at a time, then narrowed to the minute.
fn transitions(tz: Tz, first: i32, last: i32) -> Vec<Transition> {
    let Some(start) = NaiveDate::from_ymd_opt(first, 1, 1) else {
        return Vec::new();
    };
    let Some(end) = NaiveDate::from_ymd_opt(last + 1, 1, 1) else {
        return Vec::new();
    };
    let start = start.and_hms_opt(0, 0, 0).expect("midnight").and_utc();
    let end = end.and_hms_opt(0, 0, 0).expect("midnight").and_utc();
    let mut found = Vec::new();
    let mut day = start;
    while day < end {
        let next = day + Duration::days(1);
        let (before, after) = (offset_at(tz, day), offset_at(tz, next));
        if before != after {
            // The change lies in (low, high]: narrow it to the minute.
            let (mut low, mut high) = (day, next);
            // Both ends stay on whole minutes (days start at midnight UTC).
            while (high - low).num_minutes() > 1 {
                let mid = low + Duration::minutes((high - low).num_minutes() / 2);
                if offset_at(tz, mid) == before {
                    low = mid;
                } else {
                    high = mid;
                }
            }
            found.push(Transition {
                at: high,
                from: before,
                to: offset_at(tz, high),
            });
        }
        day = next;
    }
    found
}

/// `+0100`, `-0330`.
fn utc_offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.abs() / 60;
    format!("{sign}{:02}{:02}", minutes / 60, minutes % 60)
}

/// The VTIMEZONE for the years the entries fall in: the offset in force at the start of the
/// first year, and each change until the end of the last.
fn vtimezone(tz: Tz, entries: &[&Entry]) -> Option<ics::TimeZone<'static>> {
    let first = entries
        .iter()
        .map(|e| e.starts_at.with_timezone(&tz).year())
        .min()?;
    let last = entries
        .iter()
        .map(|e| e.ends_at.with_timezone(&tz).year())
        .max()?;
    let start = NaiveDate::from_ymd_opt(first, 1, 1)?
        .and_hms_opt(0, 0, 0)?
        .and_utc();
    let initial = offset_at(tz, start);
    let mut observances = vec![(
        start + Duration::seconds(i64::from(seconds(&initial))),
        initial,
        initial,
    )];
    for t in transitions(tz, first, last) {
        // The onset in the local time that was in force before the change.
        observances.push((
            t.at + Duration::seconds(i64::from(seconds(&t.from))),
            t.from,
            t.to,
        ));
    }
    let mut zone: Option<ics::TimeZone<'static>> = None;
    for (onset, from, to) in observances {
        let dtstart = stamp(onset.naive_utc());
        let (from_text, to_text) = (utc_offset(seconds(&from)), utc_offset(seconds(&to)));
        let name: Option<Cow<'static, str>> = to.abbreviation().map(|a| Cow::Owned(a.to_string()));
        if to.dst_offset().num_seconds() != 0 {
            let mut daylight = Daylight::new(dtstart, from_text, to_text);
            if let Some(name) = name {
                daylight.push(TzName::new(name));
            }
            match zone.as_mut() {
                Some(z) => z.add_daylight(daylight),
                None => zone = Some(ics::TimeZone::daylight(tz.name(), daylight)),
            }
        } else {
            let mut standard = Standard::new(dtstart, from_text, to_text);
            if let Some(name) = name {
                standard.push(TzName::new(name));
            }
            match zone.as_mut() {
                Some(z) => z.add_standard(standard),
                None => zone = Some(ics::TimeZone::standard(tz.name(), standard)),
            }
        }
    }
    zone
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn entry(start: &str, end: &str) -> Entry {
        Entry {
            tz: chrono_tz::Europe::Amsterdam,
            uid: "meeting-1@example.org".into(),
            sequence: 2,
            starts_at: at(start),
            ends_at: at(end),
            summary: "Meeting with Ann; ReMeubel, supplier".into(),
            location: Some("Table 12".into()),
            description: "Line one\nline two".into(),
            cancelled: false,
            updated_at: at("2027-03-01T10:00:00Z"),
        }
    }

    #[test]
    fn amsterdam_changes_twice_a_year_at_one_utc() {
        let found = transitions(chrono_tz::Europe::Amsterdam, 2027, 2027);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].at, at("2027-03-28T01:00:00Z"));
        assert_eq!(seconds(&found[0].to), 7200);
        assert_eq!(found[1].at, at("2027-10-31T01:00:00Z"));
        assert_eq!(seconds(&found[1].to), 3600);
    }

    #[test]
    fn a_zone_with_half_hours_is_found_to_the_minute() {
        // Adelaide: +10:30 in summer, +09:30 in winter; changes at 03:00 and 02:00 local.
        let found = transitions(chrono_tz::Australia::Adelaide, 2027, 2027);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].at, at("2027-04-03T16:30:00Z"));
        assert_eq!(utc_offset(seconds(&found[0].to)), "+0930");
    }

    #[test]
    fn writes_local_times_with_the_zone_and_its_changes() {
        let entries = [entry("2027-03-29T12:00:00Z", "2027-03-29T12:20:00Z")];
        let text = write(&Calendar {
            method: Method::Request,
            entries: &entries,
            organizer: Some(&Party {
                name: "Buyer meets Supplier".into(),
                email: "events@example.org".into(),
            }),
            attendee: Some(&Party {
                name: "Peeters, Ann".into(),
                email: "ann@example.org".into(),
            }),
            name: None,
            now: at("2027-03-01T10:00:00Z"),
        });
        assert!(text.contains("METHOD:REQUEST\r\n"), "{text}");
        assert!(
            text.contains("DTSTART;TZID=Europe/Amsterdam:20270329T140000\r\n"),
            "{text}"
        );
        assert!(text.contains("BEGIN:DAYLIGHT\r\nDTSTART:20270328T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n"), "{text}");
        assert!(text.contains("BEGIN:STANDARD\r\nDTSTART:20271031T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n"), "{text}");
        assert!(text.contains("SEQUENCE:2\r\n"), "{text}");
        assert!(
            text.contains("SUMMARY:Meeting with Ann\\; ReMeubel\\, supplier\r\n"),
            "{text}"
        );
        assert!(text.contains("ATTENDEE;CN=\"Peeters, Ann\""), "{text}");
        assert!(text.contains("STATUS:CONFIRMED"), "{text}");
    }
}
