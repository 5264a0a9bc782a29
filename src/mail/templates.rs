//! The emails matchfloor sends, in Dutch and English, each as HTML with a plain-text part.
//! The texts live in the templates under `templates/mail/` (docs/mail.md), embedded in the
//! binary and rendered with minijinja: each [`Mail`] is the context of its kind's template.

use std::sync::OnceLock;

use minijinja::value::Serde;
use minijinja::{
    AutoEscape, Environment, Error, ErrorKind, Output, State, UndefinedBehavior, Value, context,
};
use serde::Serialize;
use serde::de::{DeserializeOwned, IntoDeserializer};

use crate::domain::{Lang, MailKind, MeetingNoticeKind, MeetingPriority, Role, UnansweredRule};
use crate::entities::{event, person};
use crate::mail::Outgoing;

// `MAIL_TEMPLATES`: (path under templates/mail/, text) of every template (build.rs).
include!(concat!(env!("OUT_DIR"), "/mail_templates.rs"));

/// What an email says, before it is laid out. Its fields are the variables of its kind's
/// template (`templates/mail/kinds/<kind>.j2`, the kind being [`Mail::kind`]).
#[derive(Clone, Copy, Serialize)]
#[serde(untagged)]
pub enum Mail<'a> {
    LoginLink {
        link: &'a str,
        minutes: i64,
    },
    Invitation {
        event: &'a str,
        role: Role,
        link: &'a str,
        hours: i64,
    },
    Registered {
        event: &'a str,
        role: Role,
        needs_approval: bool,
        link: &'a str,
        minutes: i64,
    },
    AlreadyRegistered {
        event: &'a str,
        link: &'a str,
        minutes: i64,
    },
    Approved {
        event: &'a str,
        role: Role,
        link: &'a str,
        minutes: i64,
    },
    /// To the members of an organisation: someone asks to join it.
    JoinRequest {
        organisation: &'a str,
        requester: &'a str,
        requester_email: &'a str,
        link: &'a str,
        minutes: i64,
    },
    FactsheetReviewed {
        event: &'a str,
        title: &'a str,
        approved: bool,
        comment: &'a str,
        link: &'a str,
        minutes: i64,
    },
    /// A seat in a session of the programme: freed and first in line, or given by an
    /// organiser.
    SessionSeat {
        event: &'a str,
        session: &'a str,
        /// Day and local times, e.g. `2027-03-11, 14:00–15:00`.
        when: &'a str,
        room: Option<&'a str>,
        reason: SeatReason,
        link: &'a str,
        minutes: i64,
    },
    /// An organiser took the person off a session.
    SessionRemoved {
        event: &'a str,
        session: &'a str,
        when: &'a str,
        link: &'a str,
        minutes: i64,
    },
    /// Someone asks the person for a one-to-one meeting; `accepted` when the event needs
    /// no acceptance, so it is a meeting already.
    MeetingRequestReceived {
        event: &'a str,
        from: Counterpart<'a>,
        priority: MeetingPriority,
        message: Option<&'a str>,
        accepted: bool,
        link: &'a str,
        minutes: i64,
    },
    /// The other side answered the person's meeting request.
    MeetingRequestAnswered {
        event: &'a str,
        by: Counterpart<'a>,
        accepted: bool,
        reason: Option<&'a str>,
        link: &'a str,
        minutes: i64,
    },
    /// The requester withdrew a meeting the person had accepted.
    MeetingWithdrawn {
        event: &'a str,
        by: Counterpart<'a>,
        link: &'a str,
        minutes: i64,
    },
    /// The one reminder of a request the person has not answered: what happens when they
    /// do not answer within `hours`.
    MeetingReminder {
        event: &'a str,
        from: Counterpart<'a>,
        priority: MeetingPriority,
        message: Option<&'a str>,
        /// Hours the request has waited.
        waited_hours: i64,
        then: UnansweredRule,
        hours: i64,
        link: &'a str,
        minutes: i64,
    },
    /// Nobody answered a request in time and the organiser's rule handled it; `sent` when
    /// the person asked, `accepted` when it counts as accepted (else it lapsed).
    MeetingLapsed {
        event: &'a str,
        other: Counterpart<'a>,
        sent: bool,
        accepted: bool,
        link: &'a str,
        minutes: i64,
    },
    /// The other side left the event: their request, the person's request or their
    /// meeting is off.
    MeetingOff {
        event: &'a str,
        other: Counterpart<'a>,
        sent: bool,
        was_meeting: bool,
        link: &'a str,
        minutes: i64,
    },
    /// An organiser placed, moved or cancelled one of the person's scheduled meetings by
    /// hand (docs/scheduling.md, "Editing by hand").
    MeetingEdited {
        event: &'a str,
        change: MeetingEdit<'a>,
        with: Counterpart<'a>,
        /// Day and local times of the slot, e.g. `2027-03-11, 13:00–13:20`.
        when: &'a str,
        /// `Some`: the table, e.g. `12 (by the window)`; `None`: at the supplier's stand.
        table: Option<&'a str>,
        link: &'a str,
        minutes: i64,
    },
    /// What happened to the person's meeting requests since their last digest.
    MeetingDigest {
        event: &'a str,
        items: &'a [DigestItem<'a>],
        every_hours: i64,
        link: &'a str,
        minutes: i64,
    },
    /// A schedule was published and the person's meetings changed: their whole day, and
    /// the meetings that no longer take place.
    MeetingSchedule {
        event: &'a str,
        meetings: &'a [ScheduleLine<'a>],
        cancelled: &'a [ScheduleLine<'a>],
        link: &'a str,
        minutes: i64,
    },
    /// An organiser declined the person's registration; `reason` when they gave one.
    RegistrationDeclined {
        event: &'a str,
        reason: Option<&'a str>,
        link: &'a str,
        minutes: i64,
    },
    /// The person signed up for a session: a seat, or (with `waitlist_position`) a place
    /// on its waitlist.
    SessionSignedUp {
        event: &'a str,
        session: &'a str,
        when: &'a str,
        room: Option<&'a str>,
        waitlist_position: Option<i64>,
        link: &'a str,
        minutes: i64,
    },
    /// An organiser changed the title, time or room of a session the person has a seat in.
    SessionChanged {
        event: &'a str,
        session: &'a str,
        changes: &'a [SessionChange<'a>],
        link: &'a str,
        minutes: i64,
    },
    /// An organiser removed a session the person had a seat in or waited for.
    SessionCancelled {
        event: &'a str,
        session: &'a str,
        when: &'a str,
        waitlisted: bool,
        link: &'a str,
        minutes: i64,
    },
    /// The day before the event: the person's agenda and check-in code.
    DayBefore {
        event: &'a str,
        /// The first day, e.g. `2027-03-11`.
        date: &'a str,
        venue: &'a str,
        checkin_code: &'a str,
        meetings: &'a [ScheduleLine<'a>],
        sessions: &'a [AgendaSession<'a>],
        link: &'a str,
        minutes: i64,
    },
    /// An organiser's announcement, by email; `unsubscribe` is the person's opt-out link.
    Announcement {
        event: &'a str,
        author: &'a str,
        body: &'a str,
        unsubscribe: &'a str,
        link: &'a str,
        minutes: i64,
    },
}

/// What changed about a session, as its mail tells it (`before` -> `after`).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct SessionChange<'a> {
    pub what: SessionChangeKind,
    /// `None`: no room.
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionChangeKind {
    Title,
    Time,
    Room,
}

/// One session of a person's agenda in the day-before email.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct AgendaSession<'a> {
    /// Day and local times, e.g. `2027-03-11, 14:00–15:00`.
    pub when: &'a str,
    pub title: &'a str,
    pub room: Option<&'a str>,
}

/// One meeting of a person's day in a schedule email.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct ScheduleLine<'a> {
    /// Day and local times, e.g. `2027-03-11, 13:00–13:20`.
    pub when: &'a str,
    /// The table's number (and label), or `None` at the supplier's own stand.
    pub table: Option<&'a str>,
    pub partner: Counterpart<'a>,
    pub change: LineChange,
}

/// How a meeting of the day changed with this schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LineChange {
    Unchanged,
    New,
    Moved,
    Cancelled,
}

/// What an organiser did to a scheduled meeting, as its mail tells it; `change.kind` in
/// the template.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MeetingEdit<'a> {
    Added,
    /// Moved from this time and table (as `when` and `table` of [`Mail::MeetingEdited`]).
    Moved {
        from_when: &'a str,
        from_table: Option<&'a str>,
    },
    Cancelled,
}

/// One line of a digest.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct DigestItem<'a> {
    pub kind: MeetingNoticeKind,
    pub other: Counterpart<'a>,
    /// Whether the reader sent the request (else they were asked).
    pub sent: bool,
    /// The requester's priority.
    pub priority: MeetingPriority,
    pub message: Option<&'a str>,
    pub reason: Option<&'a str>,
}

/// The other side of a meeting request, as an email names them (`|who` in a template).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Counterpart<'a> {
    pub name: &'a str,
    pub organisation: Option<&'a str>,
    pub role: Role,
}

/// Why someone got a seat in a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SeatReason {
    /// A seat came free and they were the first on the waitlist who could take it.
    FromWaitlist,
    /// An organiser gave it to them.
    ByOrganiser,
}

pub fn role_name(lang: Lang, role: Role) -> &'static str {
    match role {
        Role::Organiser => lang.pick("organisator", "organiser"),
        Role::Facilitator => lang.pick("facilitator", "facilitator"),
        Role::Supplier => lang.pick("aanbieder", "supplier"),
        Role::Buyer => lang.pick("aankoper", "buyer"),
    }
}

/// How much someone wants a meeting, as a mail says it.
pub fn priority_name(lang: Lang, priority: MeetingPriority) -> &'static str {
    match priority {
        MeetingPriority::Must => lang.pick("zeker ontmoeten", "must meet"),
        MeetingPriority::WouldLike => lang.pick("graag ontmoeten", "would like to meet"),
        MeetingPriority::IfTime => lang.pick("als er tijd is", "if time allows"),
    }
}

impl Mail<'_> {
    /// The name of its template: `templates/mail/kinds/<kind>.j2`.
    pub fn kind(&self) -> MailKind {
        match self {
            Mail::LoginLink { .. } => MailKind::LoginLink,
            Mail::Invitation { .. } => MailKind::Invitation,
            Mail::Registered { .. } => MailKind::Registered,
            Mail::AlreadyRegistered { .. } => MailKind::AlreadyRegistered,
            Mail::Approved { .. } => MailKind::Approved,
            Mail::JoinRequest { .. } => MailKind::JoinRequest,
            Mail::FactsheetReviewed { .. } => MailKind::FactsheetReviewed,
            Mail::SessionSeat { .. } => MailKind::SessionSeat,
            Mail::SessionRemoved { .. } => MailKind::SessionRemoved,
            Mail::MeetingRequestReceived { .. } => MailKind::MeetingRequestReceived,
            Mail::MeetingRequestAnswered { .. } => MailKind::MeetingRequestAnswered,
            Mail::MeetingWithdrawn { .. } => MailKind::MeetingWithdrawn,
            Mail::MeetingReminder { .. } => MailKind::MeetingReminder,
            Mail::MeetingLapsed { .. } => MailKind::MeetingLapsed,
            Mail::MeetingOff { .. } => MailKind::MeetingOff,
            Mail::MeetingEdited { .. } => MailKind::MeetingEdited,
            Mail::MeetingDigest { .. } => MailKind::MeetingDigest,
            Mail::MeetingSchedule { .. } => MailKind::MeetingSchedule,
            Mail::RegistrationDeclined { .. } => MailKind::RegistrationDeclined,
            Mail::SessionSignedUp { .. } => MailKind::SessionSignedUp,
            Mail::SessionChanged { .. } => MailKind::SessionChanged,
            Mail::SessionCancelled { .. } => MailKind::SessionCancelled,
            Mail::DayBefore { .. } => MailKind::DayBefore,
            Mail::Announcement { .. } => MailKind::Announcement,
        }
    }

    /// How long its link stays valid, in minutes.
    fn link_minutes(&self) -> i64 {
        match *self {
            Mail::Invitation { hours, .. } => hours * 60,
            Mail::LoginLink { minutes, .. }
            | Mail::Registered { minutes, .. }
            | Mail::AlreadyRegistered { minutes, .. }
            | Mail::Approved { minutes, .. }
            | Mail::JoinRequest { minutes, .. }
            | Mail::FactsheetReviewed { minutes, .. }
            | Mail::SessionSeat { minutes, .. }
            | Mail::SessionRemoved { minutes, .. }
            | Mail::MeetingRequestReceived { minutes, .. }
            | Mail::MeetingRequestAnswered { minutes, .. }
            | Mail::MeetingWithdrawn { minutes, .. }
            | Mail::MeetingReminder { minutes, .. }
            | Mail::MeetingLapsed { minutes, .. }
            | Mail::MeetingOff { minutes, .. }
            | Mail::MeetingEdited { minutes, .. }
            | Mail::MeetingDigest { minutes, .. }
            | Mail::MeetingSchedule { minutes, .. }
            | Mail::RegistrationDeclined { minutes, .. }
            | Mail::SessionSignedUp { minutes, .. }
            | Mail::SessionChanged { minutes, .. }
            | Mail::SessionCancelled { minutes, .. }
            | Mail::DayBefore { minutes, .. }
            | Mail::Announcement { minutes, .. } => minutes,
        }
    }

    fn link(&self) -> &str {
        match *self {
            Mail::LoginLink { link, .. }
            | Mail::Invitation { link, .. }
            | Mail::Registered { link, .. }
            | Mail::AlreadyRegistered { link, .. }
            | Mail::Approved { link, .. }
            | Mail::JoinRequest { link, .. }
            | Mail::FactsheetReviewed { link, .. }
            | Mail::SessionSeat { link, .. }
            | Mail::SessionRemoved { link, .. }
            | Mail::MeetingRequestReceived { link, .. }
            | Mail::MeetingRequestAnswered { link, .. }
            | Mail::MeetingWithdrawn { link, .. }
            | Mail::MeetingReminder { link, .. }
            | Mail::MeetingLapsed { link, .. }
            | Mail::MeetingOff { link, .. }
            | Mail::MeetingEdited { link, .. }
            | Mail::MeetingDigest { link, .. }
            | Mail::MeetingSchedule { link, .. }
            | Mail::RegistrationDeclined { link, .. }
            | Mail::SessionSignedUp { link, .. }
            | Mail::SessionChanged { link, .. }
            | Mail::SessionCancelled { link, .. }
            | Mail::DayBefore { link, .. }
            | Mail::Announcement { link, .. } => link,
        }
    }

    /// The link that opts the reader out of this kind of email, for optional email only
    /// (announcements); shown under the text and sent as `List-Unsubscribe`.
    fn unsubscribe(&self) -> Option<&str> {
        match *self {
            Mail::Announcement { unsubscribe, .. } => Some(unsubscribe),
            _ => None,
        }
    }

    /// Whether it may reach someone who never asked for it (it then says they may ignore
    /// it); the others answer something the person did or are about their own meetings
    /// and sessions.
    fn unasked(&self) -> bool {
        matches!(
            self,
            Mail::LoginLink { .. }
                | Mail::Invitation { .. }
                | Mail::Registered { .. }
                | Mail::AlreadyRegistered { .. }
                | Mail::Approved { .. }
                | Mail::JoinRequest { .. }
        )
    }
}

/// Whom an email goes to.
#[derive(Clone, Copy, Debug)]
pub struct To<'a> {
    /// The person it is written for; none for an address that belongs to nobody.
    pub person: Option<uuid::Uuid>,
    pub email: &'a str,
    pub name: &'a str,
    pub lang: Lang,
}

impl<'a> From<&'a person::Model> for To<'a> {
    fn from(person: &'a person::Model) -> Self {
        To {
            person: Some(person.id),
            email: &person.email,
            name: &person.name,
            lang: person.language,
        }
    }
}

/// Writes an email to `to`, about `event` when it concerns one: the event's name heads
/// the HTML part in the event's colour, and organisers find the message in the event's
/// mail (docs/mail.md).
pub fn render(mail: Mail<'_>, to: To<'_>, event: Option<&event::Model>) -> Outgoing {
    // The templates are part of the binary and every kind is rendered in both languages
    // by the tests, so a failure here is a bug, not bad input.
    try_render(mail, to, event)
        .unwrap_or_else(|e| panic!("email template {} failed: {e:#}", mail.kind().as_str()))
}

/// The colour of emails about no event, and of events whose colour is not `#rrggbb`.
pub const DEFAULT_COLOUR: &str = "#1f7a4d";

/// Whether `colour` is a colour as events store it: `#` and six hexadecimal digits.
pub fn is_colour(colour: &str) -> bool {
    colour.len() == 7
        && colour.starts_with('#')
        && colour[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

fn try_render(mail: Mail<'_>, to: To<'_>, event: Option<&event::Model>) -> Result<Outgoing, Error> {
    let lang = to.lang;
    let to_name = to.name;
    // Checked again here: the colour goes into a style attribute.
    let colour = event
        .map(|e| e.colour.as_str())
        .filter(|c| is_colour(c))
        .unwrap_or(DEFAULT_COLOUR);
    let heading = event.map_or("matchfloor", |e| e.name.as_str());
    let env = environment();
    let link = mail.link();
    let common = env
        .get_template("common.txt.j2")?
        .render_captured(context! {
            lang => lang.as_str(),
            name => to_name.trim(),
            minutes => mail.link_minutes(),
        })?;
    let mut common = common;
    let greeting = common.with_state_mut(|state| state.render_block("greeting"))?;
    let note = common.with_state_mut(|state| state.render_block("note"))?;
    let ignore = if mail.unasked() {
        common.with_state_mut(|state| state.render_block("ignore"))?
    } else {
        String::new()
    };
    let unsubscribe_link = mail.unsubscribe().unwrap_or_default();
    let unsubscribe = if mail.unsubscribe().is_some() {
        common.with_state_mut(|state| state.render_block("unsubscribe"))?
    } else {
        String::new()
    };
    let ctx = context! { lang => lang.as_str(), ..Value::from(Serde(mail)) };
    let parts = |format: &str, blocks: &[&str]| -> Result<Vec<String>, Error> {
        let name = format!("{}.{format}.j2", mail.kind().as_str());
        let mut captured = env.get_template(&name)?.render_captured(ctx.clone())?;
        blocks
            .iter()
            .map(|block| captured.with_state_mut(|state| state.render_block(block)))
            .collect()
    };
    let text_parts = parts("txt", &["subject", "button", "body"])?;
    let html_parts = parts("html", &["button", "body"])?;
    let [subject, button, body] = <[String; 3]>::try_from(text_parts).expect("three blocks");
    let [html_button, html_body] = <[String; 2]>::try_from(html_parts).expect("two blocks");
    let text = env.get_template("layout.txt.j2")?.render(context! {
        greeting => greeting.trim(),
        body => body.trim_start(),
        button => button.trim(),
        link,
        note => note.trim(),
        ignore => ignore.trim(),
        unsubscribe => unsubscribe.trim(),
        unsubscribe_link,
    })?;
    let html = env.get_template("layout.html.j2")?.render(context! {
        heading,
        colour,
        greeting => greeting.trim(),
        body => Value::from_safe_string(html_body.trim().to_string()),
        button => Value::from_safe_string(html_button.trim().to_string()),
        link,
        note => note.trim(),
        ignore => ignore.trim(),
        unsubscribe => unsubscribe.trim(),
        unsubscribe_link,
    })?;
    Ok(Outgoing {
        to_email: to.email.into(),
        to_name: to_name.into(),
        subject: subject.trim().to_string(),
        text,
        // The layout file's last line break.
        html: html.trim_end().to_string(),
        kind: Some(mail.kind()),
        lang: Some(lang),
        person_id: to.person,
        event_id: event.map(|e| e.id),
        list_unsubscribe: mail.unsubscribe().map(str::to_string),
        announcement_id: None,
        calendar: Vec::new(),
    })
}

/// The templates, loaded once. Each `kinds/<kind>.j2` is registered twice, as
/// `<kind>.html.j2` (HTML-escaped) and `<kind>.txt.j2` (not escaped): one text for both
/// parts of the email.
fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        env.set_syntax(
            minijinja::syntax::SyntaxConfig::builder()
                .trim_blocks(true)
                .lstrip_blocks(true)
                .keep_trailing_newline(true)
                .build()
                .expect("valid template syntax"),
        );
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_formatter(formatter);
        env.add_filter("paragraph", paragraph);
        env.add_filter("who", who);
        env.add_filter("role", role);
        env.add_filter("priority", priority);
        env.add_filter("span", span);
        for (path, source) in MAIL_TEMPLATES {
            let added = match path
                .strip_prefix("kinds/")
                .and_then(|p| p.strip_suffix(".j2"))
            {
                Some(kind) => env
                    .add_template_owned(format!("{kind}.html.j2"), *source)
                    .and_then(|()| env.add_template_owned(format!("{kind}.txt.j2"), *source)),
                None => env.add_template(path, source),
            };
            added.unwrap_or_else(|e| panic!("email template {path}: {e:#}"));
        }
        env
    })
}

/// Writes a value, HTML-escaped in the HTML templates unless it is HTML already. Escapes
/// `& < > " '` only (minijinja's own escaping also turns `/` into `&#x2f;`, which would
/// make the links in the HTML hard to read).
fn formatter(out: &mut Output, state: &mut State, value: &Value) -> Result<(), Error> {
    if *state.auto_escape() != AutoEscape::Html || value.is_safe() {
        return minijinja::escape_formatter(out, state, value);
    }
    let text = value.to_string();
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    out.write_str(&escaped).map_err(Error::from)
}

/// `{% filter paragraph %}…{% endfilter %}`: one paragraph of an email's body, trimmed; a
/// `<p>` in the HTML part, followed by a blank line in the text part.
fn paragraph(state: &State, content: Value) -> Value {
    let text = content.to_string();
    let text = text.trim();
    if *state.auto_escape() == AutoEscape::Html {
        Value::from_safe_string(format!("<p style=\"line-height:1.5\">{text}</p>"))
    } else {
        Value::from(format!("{text}\n\n"))
    }
}

/// The reader's language: the template's `lang`.
fn reader_lang(state: &State) -> Result<Lang, Error> {
    let lang = state.lookup("lang").unwrap_or_default();
    stored(&lang, "lang")
}

/// A stored enum from its spelling in the context ("supplier", "must", ...).
fn stored<T: DeserializeOwned>(value: &Value, what: &str) -> Result<T, Error> {
    let spelling = value.as_str().unwrap_or_default();
    T::deserialize(IntoDeserializer::<serde::de::value::Error>::into_deserializer(spelling))
        .map_err(|_| {
            Error::new(
                ErrorKind::InvalidOperation,
                format!("{what}: unknown value {value}"),
            )
        })
}

/// `{{ role|role }}`: a role in the reader's language.
fn role(state: &State, value: Value) -> Result<String, Error> {
    Ok(role_name(reader_lang(state)?, stored(&value, "role")?).to_string())
}

/// `{{ priority|priority }}`: how much someone wants a meeting, in the reader's language.
fn priority(state: &State, value: Value) -> Result<String, Error> {
    Ok(priority_name(reader_lang(state)?, stored(&value, "priority")?).to_string())
}

/// `{{ from|who }}`: the other side of a meeting, "Ann Peeters (ReMeubel, supplier)".
fn who(state: &State, value: Value) -> Result<String, Error> {
    let lang = reader_lang(state)?;
    let field = |key: &str| {
        let v = value.get_attr(key)?;
        if v.is_undefined() {
            return Err(Error::new(
                ErrorKind::UndefinedError,
                format!("who: no {key} in {value}"),
            ));
        }
        Ok(v)
    };
    let name = field("name")?;
    let role = role_name(lang, stored(&field("role")?, "role")?);
    let organisation = field("organisation")?;
    Ok(if organisation.is_none() {
        format!("{name} ({role})")
    } else {
        format!("{name} ({organisation}, {role})")
    })
}

/// `{{ minutes|span }}`: a duration in words, days from two days on, hours from two hours
/// on, else minutes.
fn span(state: &State, minutes: i64) -> Result<String, Error> {
    Ok(match (reader_lang(state)?, minutes) {
        (Lang::Nl, m) if m >= 2 * 1440 => format!("{} dagen", m / 1440),
        (Lang::En, m) if m >= 2 * 1440 => format!("{} days", m / 1440),
        (Lang::Nl, m) if m >= 120 => format!("{} uur", m / 60),
        (Lang::En, m) if m >= 120 => format!("{} hours", m / 60),
        (Lang::Nl, m) => format!("{m} minuten"),
        (Lang::En, m) => format!("{m} minutes"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn try_render_to(
        mail: Mail<'_>,
        lang: Lang,
        email: &str,
        name: &str,
    ) -> Result<Outgoing, Error> {
        try_render(
            mail,
            To {
                person: None,
                email,
                name,
                lang,
            },
            None,
        )
    }

    /// Mail to an address, about no event.
    fn render_to(mail: Mail<'_>, lang: Lang, email: &str, name: &str) -> Outgoing {
        try_render_to(mail, lang, email, name).unwrap()
    }

    #[test]
    fn both_languages_carry_the_link_and_escape_names() {
        for lang in [Lang::Nl, Lang::En] {
            let mail = render_to(
                Mail::LoginLink {
                    link: "https://x.test/login/confirm#token=abc",
                    minutes: 15,
                },
                lang,
                "a@b.c",
                "<Ann>",
            );
            assert!(mail.text.contains("https://x.test/login/confirm#token=abc"));
            assert!(mail.html.contains("token=abc"));
            assert!(mail.html.contains("&lt;Ann&gt;"));
            assert!(!mail.html.contains("<Ann>"));
        }
        let nl = render_to(
            Mail::Invitation {
                event: "Buyer meets Supplier",
                role: Role::Supplier,
                link: "l",
                hours: 168,
            },
            Lang::Nl,
            "a@b.c",
            "An",
        );
        assert!(nl.subject.starts_with("Uitnodiging"));
        assert!(nl.text.contains("aanbieder"));
        assert!(nl.text.contains("7 dagen"));
        let en = render_to(
            Mail::LoginLink {
                link: "l",
                minutes: 15,
            },
            Lang::En,
            "a@b.c",
            "",
        );
        assert!(en.text.contains("15 minutes"));
        let en = render_to(
            Mail::LoginLink {
                link: "l",
                minutes: 15,
            },
            Lang::En,
            "a@b.c",
            "",
        );
        assert!(en.text.contains("15 minutes"));
    }

    #[test]
    fn meeting_mails_name_the_other_side_in_both_languages() {
        let from = Counterpart {
            name: "Sara <S>",
            organisation: Some("ReMeubel"),
            role: Role::Supplier,
        };
        for (lang, subject, priority, role) in [
            (
                Lang::Nl,
                "Gespreksverzoek van Sara <S>",
                "zeker ontmoeten",
                "aanbieder",
            ),
            (
                Lang::En,
                "Meeting request from Sara <S>",
                "must meet",
                "supplier",
            ),
        ] {
            let mail = render_to(
                Mail::MeetingRequestReceived {
                    event: "BmS",
                    from,
                    priority: MeetingPriority::Must,
                    message: Some("Stoelen?"),
                    accepted: false,
                    link: "https://x.test/l",
                    minutes: 60,
                },
                lang,
                "a@b.c",
                "An",
            );
            assert_eq!(mail.subject, subject);
            assert!(mail.text.contains(priority), "{}", mail.text);
            assert!(mail.text.contains(role));
            assert!(mail.text.contains("Stoelen?"));
            assert!(mail.html.contains("Sara &lt;S&gt;"));
            let answered = render_to(
                Mail::MeetingRequestAnswered {
                    event: "BmS",
                    by: from,
                    accepted: false,
                    reason: Some("Geen tijd"),
                    link: "https://x.test/l",
                    minutes: 60,
                },
                lang,
                "a@b.c",
                "An",
            );
            assert!(answered.text.contains("Geen tijd"));
        }
    }

    #[test]
    fn meetings_edited_by_hand_in_both_languages() {
        let sara = Counterpart {
            name: "Sara",
            organisation: Some("ReMeubel"),
            role: Role::Supplier,
        };
        let moved = MeetingEdit::Moved {
            from_when: "2027-03-11, 13:00–13:20",
            from_table: Some("1"),
        };
        for (lang, change, subject, says) in [
            (
                Lang::Nl,
                MeetingEdit::Added,
                "Nieuw gesprek met Sara op BmS",
                "met Sara (ReMeubel, aanbieder) op BmS: 2027-03-11, 13:20–13:40, tafel 12 (raam).",
            ),
            (
                Lang::En,
                MeetingEdit::Added,
                "New meeting with Sara at BmS",
                "with Sara (ReMeubel, supplier) at BmS: 2027-03-11, 13:20–13:40, table 12 (raam).",
            ),
            (
                Lang::Nl,
                moved,
                "Je gesprek met Sara is verplaatst",
                "van 2027-03-11, 13:00–13:20, tafel 1 naar 2027-03-11, 13:20–13:40, tafel 12 (raam).",
            ),
            (
                Lang::En,
                moved,
                "Your meeting with Sara moved",
                "from 2027-03-11, 13:00–13:20, table 1 to 2027-03-11, 13:20–13:40, table 12 (raam).",
            ),
            (
                Lang::Nl,
                MeetingEdit::Cancelled,
                "Je gesprek met Sara gaat niet door",
                "blijft aanvaard",
            ),
            (
                Lang::En,
                MeetingEdit::Cancelled,
                "Your meeting with Sara is cancelled",
                "stays accepted",
            ),
        ] {
            let mail = render_to(
                Mail::MeetingEdited {
                    event: "BmS",
                    change,
                    with: sara,
                    when: "2027-03-11, 13:20–13:40",
                    table: Some("12 (raam)"),
                    link: "https://x.test/l",
                    minutes: 60,
                },
                lang,
                "a@b.c",
                "An",
            );
            assert_eq!(mail.subject, subject);
            assert!(mail.text.contains(says), "{}", mail.text);
            assert!(
                mail.text
                    .contains(lang.pick("Naar mijn agenda", "Open my agenda"))
            );
        }
        let stand = render_to(
            Mail::MeetingEdited {
                event: "BmS",
                change: MeetingEdit::Added,
                with: sara,
                when: "2027-03-11, 13:20–13:40",
                table: None,
                link: "https://x.test/l",
                minutes: 60,
            },
            Lang::Nl,
            "a@b.c",
            "An",
        );
        assert!(
            stand.text.contains("op de stand van de aanbieder"),
            "{}",
            stand.text
        );
    }

    #[test]
    fn reminders_lapses_departures_and_digests_in_both_languages() {
        let sara = Counterpart {
            name: "Sara",
            organisation: Some("ReMeubel"),
            role: Role::Supplier,
        };
        for (lang, reminder, then, lapsed, off) in [
            (
                Lang::Nl,
                "Herinnering: gespreksverzoek van Sara",
                "geldt het als aanvaard",
                "Je gespreksverzoek aan Sara geldt als aanvaard",
                "Sara neemt niet meer deel aan BmS",
            ),
            (
                Lang::En,
                "Reminder: meeting request from Sara",
                "it counts as accepted",
                "Your meeting request to Sara counts as accepted",
                "Sara no longer takes part in BmS",
            ),
        ] {
            let mail = render_to(
                Mail::MeetingReminder {
                    event: "BmS",
                    from: sara,
                    priority: MeetingPriority::IfTime,
                    message: Some("Koffie?"),
                    waited_hours: 50,
                    then: UnansweredRule::Accept,
                    hours: 48,
                    link: "https://x.test/l",
                    minutes: 60,
                },
                lang,
                "a@b.c",
                "An",
            );
            assert_eq!(mail.subject, reminder);
            assert!(mail.text.contains(then), "{}", mail.text);
            assert!(mail.text.contains("Koffie?"));
            let mail = render_to(
                Mail::MeetingLapsed {
                    event: "BmS",
                    other: sara,
                    sent: true,
                    accepted: true,
                    link: "l",
                    minutes: 60,
                },
                lang,
                "a@b.c",
                "An",
            );
            assert_eq!(mail.subject, lapsed);
            let mail = render_to(
                Mail::MeetingOff {
                    event: "BmS",
                    other: sara,
                    sent: false,
                    was_meeting: true,
                    link: "l",
                    minutes: 60,
                },
                lang,
                "a@b.c",
                "An",
            );
            assert_eq!(mail.subject, off);
        }
        let items = [
            DigestItem {
                kind: MeetingNoticeKind::Declined,
                other: sara,
                sent: true,
                priority: MeetingPriority::Must,
                message: None,
                reason: Some("<Vol>"),
            },
            DigestItem {
                kind: MeetingNoticeKind::Expired,
                other: sara,
                sent: false,
                priority: MeetingPriority::Must,
                message: None,
                reason: None,
            },
        ];
        let digest = render_to(
            Mail::MeetingDigest {
                event: "BmS",
                items: &items,
                every_hours: 3,
                link: "l",
                minutes: 60,
            },
            Lang::En,
            "a@b.c",
            "An",
        );
        assert_eq!(digest.subject, "Your meeting requests at BmS: 2 updates");
        assert!(digest.text.contains("Declined (1)\n\n• Sara (ReMeubel, supplier) declined your meeting request. Their reason: <Vol>"), "{}", digest.text);
        assert!(digest.text.contains("Other changes (1)\n\n• You did not answer Sara (ReMeubel, supplier) in time: their request lapsed."));
        assert!(!digest.text.contains("Accepted ("));
        assert!(digest.html.contains("&lt;Vol&gt;"));
        let nl = render_to(
            Mail::MeetingDigest {
                event: "BmS",
                items: &items[..1],
                every_hours: 3,
                link: "l",
                minutes: 60,
            },
            Lang::Nl,
            "a@b.c",
            "An",
        );
        assert_eq!(nl.subject, "Je gespreksverzoeken op BmS: 1 bericht");
        assert!(nl.text.contains("Geweigerd (1)"));
    }

    #[test]
    fn session_mails_name_the_session_and_its_time_in_both_languages() {
        for (lang, seat, removed) in [
            (
                Lang::Nl,
                "Je hebt een plaats: Meubilair",
                "Niet meer ingeschreven: Meubilair",
            ),
            (
                Lang::En,
                "You have a seat: Meubilair",
                "No longer signed up: Meubilair",
            ),
        ] {
            for reason in [SeatReason::FromWaitlist, SeatReason::ByOrganiser] {
                let mail = render_to(
                    Mail::SessionSeat {
                        event: "BmS",
                        session: "Meubilair",
                        when: "2027-03-11, 14:00–15:00",
                        room: Some("Zaal <1>"),
                        reason,
                        link: "https://x.test/l",
                        minutes: 60,
                    },
                    lang,
                    "a@b.c",
                    "An",
                );
                assert_eq!(mail.subject, seat);
                assert!(mail.text.contains("14:00–15:00"));
                assert!(mail.html.contains("Zaal &lt;1&gt;"));
            }
            let mail = render_to(
                Mail::SessionRemoved {
                    event: "BmS",
                    session: "Meubilair",
                    when: "2027-03-11, 14:00–15:00",
                    link: "https://x.test/l",
                    minutes: 60,
                },
                lang,
                "a@b.c",
                "An",
            );
            assert_eq!(mail.subject, removed);
        }
    }

    #[test]
    fn issue_15_messages_say_what_happened_in_both_languages() {
        let changes = [
            SessionChange {
                what: SessionChangeKind::Time,
                before: Some("2027-03-11, 14:00–15:00"),
                after: Some("2027-03-11, 15:00–16:00"),
            },
            SessionChange {
                what: SessionChangeKind::Room,
                before: Some("Zaal <1>"),
                after: None,
            },
        ];
        for (lang, declined, waitlisted, changed, room, cancelled, announcement) in [
            (
                Lang::Nl,
                "Je inschrijving voor BmS",
                "Op de wachtlijst: Stoelen",
                "Gewijzigd: Stoelen",
                "• Zaal: Zaal <1> → (geen zaal)",
                "Gaat niet door: Stoelen",
                "Mededeling: BmS",
            ),
            (
                Lang::En,
                "Your registration for BmS",
                "On the waitlist: Stoelen",
                "Changed: Stoelen",
                "• Room: Zaal <1> → (no room)",
                "Cancelled: Stoelen",
                "Announcement: BmS",
            ),
        ] {
            let mail = render_to(
                Mail::RegistrationDeclined {
                    event: "BmS",
                    reason: Some("Vol"),
                    link: "l",
                    minutes: 60,
                },
                lang,
                "a@b.c",
                "An",
            );
            assert_eq!(mail.subject, declined);
            assert!(mail.text.contains("Vol"));
            let mail = render_to(
                Mail::SessionSignedUp {
                    event: "BmS",
                    session: "Stoelen",
                    when: "2027-03-11, 14:00–15:00",
                    room: None,
                    waitlist_position: Some(4),
                    link: "l",
                    minutes: 60,
                },
                lang,
                "a@b.c",
                "An",
            );
            assert_eq!(mail.subject, waitlisted);
            assert!(mail.text.contains(" 4"), "{}", mail.text);
            let mail = render_to(
                Mail::SessionChanged {
                    event: "BmS",
                    session: "Stoelen",
                    changes: &changes,
                    link: "l",
                    minutes: 60,
                },
                lang,
                "a@b.c",
                "An",
            );
            assert_eq!(mail.subject, changed);
            assert!(mail.text.contains(room), "{}", mail.text);
            assert!(mail.html.contains("Zaal &lt;1&gt;"));
            let mail = render_to(
                Mail::SessionCancelled {
                    event: "BmS",
                    session: "Stoelen",
                    when: "2027-03-11, 14:00–15:00",
                    waitlisted: false,
                    link: "l",
                    minutes: 60,
                },
                lang,
                "a@b.c",
                "An",
            );
            assert_eq!(mail.subject, cancelled);
            assert!(mail.list_unsubscribe.is_none());
            let mail = render_to(
                Mail::Announcement {
                    event: "BmS",
                    author: "Olga",
                    body: "Een <b>.\n\nTwee.",
                    unsubscribe: "https://x.test/api/unsubscribe/t",
                    link: "l",
                    minutes: 60,
                },
                lang,
                "a@b.c",
                "An",
            );
            assert_eq!(mail.subject, announcement);
            assert_eq!(
                mail.list_unsubscribe.as_deref(),
                Some("https://x.test/api/unsubscribe/t")
            );
            assert!(mail.text.contains("Een <b>.\n\nTwee.\n\n"), "{}", mail.text);
            assert!(
                mail.text.contains(": https://x.test/api/unsubscribe/t\n"),
                "{}",
                mail.text
            );
            assert!(
                mail.html
                    .contains("<p style=\"line-height:1.5\">Een &lt;b&gt;.</p>")
            );
            assert!(
                mail.html
                    .contains("href=\"https://x.test/api/unsubscribe/t\"")
            );
        }
        let reminder = render_to(
            Mail::DayBefore {
                event: "BmS",
                date: "2027-03-11",
                venue: "Gent",
                checkin_code: "K7MX4PQR",
                meetings: &[],
                sessions: &[AgendaSession {
                    when: "2027-03-11, 10:00–11:00",
                    title: "Opening",
                    room: Some("Zaal 1"),
                }],
                link: "l",
                minutes: 60,
            },
            Lang::En,
            "a@b.c",
            "An",
        );
        assert_eq!(
            reminder.subject,
            "Tomorrow: BmS, your agenda and check-in code"
        );
        assert!(reminder.text.contains("Your check-in code: K7MX4PQR."));
        assert!(
            reminder
                .text
                .contains("• 2027-03-11, 10:00–11:00: Opening, Zaal 1")
        );
        assert!(!reminder.text.contains("Your meetings"));
    }

    #[test]
    fn every_kind_renders_in_both_languages() {
        let mut kinds = std::collections::BTreeSet::new();
        crate::mail::sample::each_mail(&mut |label, mail| {
            kinds.insert(mail.kind().as_str());
            for lang in [Lang::Nl, Lang::En] {
                for name in ["Ann", " "] {
                    let out = try_render_to(mail, lang, "a@b.c", name)
                        .unwrap_or_else(|e| panic!("{label} in {lang:?}: {e:#}"));
                    let what = format!("{label} in {lang:?}:\n{}", out.text);
                    assert!(
                        !out.subject.is_empty() && !out.subject.contains('\n'),
                        "{what}"
                    );
                    let greeting = match (lang, name) {
                        (Lang::Nl, "Ann") => "Beste Ann,\n\n",
                        (Lang::En, "Ann") => "Dear Ann,\n\n",
                        (Lang::Nl, _) => "Hallo,\n\n",
                        (Lang::En, _) => "Hello,\n\n",
                    };
                    assert!(out.text.starts_with(greeting), "{what}");
                    assert!(out.text.ends_with("\n\n-- \nmatchfloor\n"), "{what}");
                    assert!(!out.text.contains("\n\n\n"), "{what}");
                    assert!(
                        out.text
                            .contains(": https://x.test/login/confirm#token=a&b=<c>\n\n"),
                        "{what}"
                    );
                    assert!(
                        out.html.contains(
                            "href=\"https://x.test/login/confirm#token=a&amp;b=&lt;c&gt;\""
                        ),
                        "{what}"
                    );
                    assert!(out.html.ends_with("</html>"), "{what}");
                    // A value missing from a template is an error (strict), never "none".
                    for part in [&out.subject, &out.text] {
                        assert!(!part.contains("none"), "{what}");
                    }
                    let other = lang.pick("The link works once", "De link werkt");
                    assert!(!out.text.contains(other), "{what}");
                }
            }
        });
        let files: std::collections::BTreeSet<&str> = MAIL_TEMPLATES
            .iter()
            .filter_map(|(path, _)| path.strip_prefix("kinds/")?.strip_suffix(".j2"))
            .collect();
        assert_eq!(
            kinds, files,
            "every template has a kind and every kind a template"
        );
    }

    #[test]
    fn values_are_escaped_in_html_and_not_in_text() {
        let sara = Counterpart {
            name: "Sara <b>&</b> 'S' \"T\"",
            organisation: Some("<i>ReMeubel</i>"),
            role: Role::Supplier,
        };
        let mail = render_to(
            Mail::MeetingRequestReceived {
                event: "BmS & <Co>",
                from: sara,
                priority: MeetingPriority::Must,
                message: Some("<script>alert(1)</script>"),
                accepted: false,
                link: "https://x.test/a?b=1&c=2",
                minutes: 60,
            },
            Lang::En,
            "a@b.c",
            "<Ann>",
        );
        assert_eq!(mail.subject, "Meeting request from Sara <b>&</b> 'S' \"T\"");
        assert!(mail.text.starts_with("Dear <Ann>,\n\n"));
        assert!(mail.text.contains(
            "Sara <b>&</b> 'S' \"T\" (<i>ReMeubel</i>, supplier) asks you for a one-to-one meeting at BmS & <Co>."
        ));
        assert!(
            mail.text
                .contains("Their message: <script>alert(1)</script>\n\n")
        );
        assert!(mail.text.contains("https://x.test/a?b=1&c=2"));
        assert!(mail.html.contains("<p>Dear &lt;Ann&gt;,</p>"));
        assert!(mail.html.contains(
            "Sara &lt;b&gt;&amp;&lt;/b&gt; &#39;S&#39; &quot;T&quot; (&lt;i&gt;ReMeubel&lt;/i&gt;, supplier) asks you for a one-to-one meeting at BmS &amp; &lt;Co&gt;."
        ));
        assert!(mail.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(mail.html.contains("href=\"https://x.test/a?b=1&amp;c=2\""));
        for raw in ["<Ann>", "<b>", "<i>", "<script>", "<Co>"] {
            assert!(!mail.html.contains(raw), "{raw} unescaped in the HTML");
        }
    }

    #[test]
    fn a_variable_missing_from_the_context_is_an_error() {
        let env = environment();
        let error = env
            .get_template("invitation.txt.j2")
            .and_then(|t| t.render(context! { lang => "en", role => "buyer" }))
            .expect_err("event is missing");
        assert_eq!(error.kind(), ErrorKind::UndefinedError, "{error:#}");
    }
}
