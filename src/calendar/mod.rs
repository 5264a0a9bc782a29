//! Calendar files (RFC 5545): the invitations that meeting and session emails carry
//! (METHOD:REQUEST for new and changed entries, METHOD:CANCEL for cancelled ones, one file
//! per entry), and each person's private calendar feed (METHOD:PUBLISH) at a secret URL.
//! Entries are in the event's time zone (with its VTIMEZONE) and keep a stable UID whose
//! SEQUENCE rises with every change. Details in docs/calendar.md.

pub mod feed;
pub mod routes;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use uuid::Uuid;

use crate::config::MailSettings;
use crate::domain::{Lang, Role};
use crate::entities::{event, person, programme_session};
use crate::mail::ics::{self, Calendar, Entry, Party};

pub use crate::mail::ics::{CalendarPart, Method};

/// The domain of UIDs: the sender's (as in `Message-ID`), stable for the installation.
pub fn uid_domain(mail: &MailSettings) -> &str {
    mail.from_address
        .rsplit_once('@')
        .map(|(_, domain)| domain)
        .filter(|d| !d.is_empty())
        .unwrap_or("matchfloor.local")
}

pub fn meeting_uid(mail: &MailSettings, meeting_id: Uuid) -> String {
    format!("meeting-{meeting_id}@{}", uid_domain(mail))
}

/// A seat in a session is the entry of the sign-up that holds it: its UID stays while the
/// sign-up lasts (a seat given after waiting keeps the waitlist place's sign-up), and a new
/// sign-up after one ended is a new entry.
pub fn signup_uid(mail: &MailSettings, signup_id: Uuid) -> String {
    format!("signup-{signup_id}@{}", uid_domain(mail))
}

/// The event's zone (validated when the event was saved; UTC should it not parse).
pub fn event_zone(event: &event::Model) -> Tz {
    event.timezone.parse().unwrap_or(Tz::UTC)
}

/// The other side of a meeting, as an entry names them.
pub struct Partner<'a> {
    pub name: &'a str,
    pub organisation: Option<&'a str>,
    pub role: Role,
}

/// A meeting as one of its two people sees it.
pub struct MeetingFacts<'a> {
    pub meeting_id: Uuid,
    /// `meeting.sequence`.
    pub sequence: i32,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// Its table (number and label); `None`: at the supplier's stand.
    pub table: Option<(i32, Option<String>)>,
    pub partner: Partner<'a>,
    pub cancelled: bool,
    pub updated_at: DateTime<Utc>,
}

/// A meeting as an entry of the reader's calendar, in their language.
pub fn meeting_entry(
    mail: &MailSettings,
    event: &event::Model,
    lang: Lang,
    meeting: &MeetingFacts<'_>,
) -> Entry {
    let partner = &meeting.partner;
    let who = match partner.organisation {
        Some(org) => format!("{} ({org})", partner.name),
        None => partner.name.to_string(),
    };
    let summary = match lang {
        Lang::Nl => format!("Gesprek met {who}"),
        Lang::En => format!("Meeting with {who}"),
    };
    let table = meeting
        .table
        .as_ref()
        .map(|(n, label)| (*n, label.as_deref()));
    let spot = match (table, lang) {
        (Some((n, Some(label))), Lang::Nl) => format!("Tafel {n} ({label})"),
        (Some((n, None)), Lang::Nl) => format!("Tafel {n}"),
        (Some((n, Some(label))), Lang::En) => format!("Table {n} ({label})"),
        (Some((n, None)), Lang::En) => format!("Table {n}"),
        (None, Lang::Nl) => "Aan de stand van de aanbieder".to_string(),
        (None, Lang::En) => "At the supplier's stand".to_string(),
    };
    let location = match event.venue.trim() {
        "" => spot,
        venue => format!("{spot}, {venue}"),
    };
    let role = match (partner.role, lang) {
        (Role::Supplier, Lang::Nl) => "aanbieder",
        (Role::Buyer, Lang::Nl) => "aankoper",
        (Role::Supplier, Lang::En) => "supplier",
        (Role::Buyer, Lang::En) => "buyer",
        (_, Lang::Nl) => "deelnemer",
        (_, Lang::En) => "participant",
    };
    let description = match lang {
        Lang::Nl => format!("{}: één-op-één gesprek met {who}, {role}.", event.name),
        Lang::En => format!("{}: one-to-one meeting with {who}, {role}.", event.name),
    };
    Entry {
        tz: event_zone(event),
        uid: meeting_uid(mail, meeting.meeting_id),
        sequence: meeting.sequence,
        starts_at: meeting.starts_at,
        ends_at: meeting.ends_at,
        summary,
        location: Some(location),
        description,
        cancelled: meeting.cancelled,
        updated_at: meeting.updated_at,
    }
}

/// A seat in a session as an entry of the person's calendar. Its SEQUENCE is the
/// session's (raised when its time, room or title changes), one more for the cancellation
/// when the seat ends (the entry's last word).
pub fn session_entry(
    mail: &MailSettings,
    event: &event::Model,
    lang: Lang,
    session: &programme_session::Model,
    room: Option<&str>,
    signup_id: Uuid,
    cancelled: bool,
) -> Entry {
    let (title, description) = match lang {
        Lang::Nl => (&session.title_nl, &session.description_nl),
        Lang::En => (&session.title_en, &session.description_en),
    };
    let location = match (room, event.venue.trim()) {
        (Some(room), "") => Some(room.to_string()),
        (Some(room), venue) => Some(format!("{room}, {venue}")),
        (None, "") => None,
        (None, venue) => Some(venue.to_string()),
    };
    let description = match description.trim() {
        "" => event.name.clone(),
        text => format!("{}\n\n{text}", event.name),
    };
    Entry {
        tz: event_zone(event),
        uid: signup_uid(mail, signup_id),
        sequence: session.sequence + i32::from(cancelled),
        starts_at: session.starts_at,
        ends_at: session.ends_at,
        summary: title.clone(),
        location,
        description,
        cancelled,
        updated_at: session.updated_at,
    }
}

/// The calendar file an email carries for one entry: REQUEST, or CANCEL when the entry is
/// cancelled, with the sender as ORGANIZER and the reader as ATTENDEE.
pub fn invite(
    mail: &MailSettings,
    event: &event::Model,
    to: &person::Model,
    entry: Entry,
) -> CalendarPart {
    let method = if entry.cancelled {
        Method::Cancel
    } else {
        Method::Request
    };
    let organizer = Party {
        name: if mail.from_name.trim().is_empty() {
            event.name.clone()
        } else {
            mail.from_name.clone()
        },
        email: mail.from_address.clone(),
    };
    let attendee = Party {
        name: to.name.clone(),
        email: to.email.clone(),
    };
    let filename = match method {
        Method::Cancel => "cancel.ics",
        _ => "invite.ics",
    };
    let content = ics::write(&Calendar {
        method,
        entries: std::slice::from_ref(&entry),
        organizer: Some(&organizer),
        attendee: Some(&attendee),
        name: None,
        now: Utc::now(),
    });
    CalendarPart {
        method,
        filename: filename.into(),
        content,
    }
}

/// The calendar file for a person's seat in a session (`signup_id` holds it; given, or, with
/// `cancelled`, ended),
/// for the email that tells them. For the programme's emails: attach it with
/// `Outgoing::with_calendar(vec![part])`.
pub fn session_invite(
    mail: &MailSettings,
    event: &event::Model,
    to: &person::Model,
    session: &programme_session::Model,
    room: Option<&str>,
    signup_id: Uuid,
    cancelled: bool,
) -> CalendarPart {
    let entry = session_entry(
        mail,
        event,
        to.language,
        session,
        room,
        signup_id,
        cancelled,
    );
    invite(mail, event, to, entry)
}
