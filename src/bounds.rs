//! The bounds the server enforces on what clients send, each stated once. The validators
//! use these constants, and [`rules`] names where the OpenAPI document states each of them
//! (`openapi::finish` writes them there with [`state_in`]), so the document says what the
//! server does and the two cannot drift apart.
//!
//! Texts are trimmed before they are checked (`domain::check_text`), so their patterns
//! allow the whitespace around a value that trimming removes; a length counts characters
//! (JSON Schema's `maxLength` counts the whitespace around too, so it is a little stricter).
//! Rules that depend on the event's data (a product group code of the event, a day of the
//! event, a participant's id) are the server's alone: the document cannot state them.

use std::ops::RangeInclusive;

use serde_json::{Map, Value, json};

use crate::domain::Lines;

// ---- People, profiles, logging in.

pub const PERSON_NAME_MAX: usize = 200;
pub const ORGANISATION_NAME_MAX: usize = 200;
pub const JOB_TITLE_MAX: usize = 200;
/// A phone number: a person's, a factsheet's contact.
pub const PHONE_MAX: usize = 40;
/// An email address and its part before the `@` (RFC 5321).
pub const EMAIL_MAX: usize = 254;
pub const EMAIL_LOCAL_MAX: usize = 64;
/// The page of the app a login link opens (`next`).
pub const NEXT_PATH_MAX: usize = 200;
/// Hex digits of a login link's token.
pub const LOGIN_TOKEN_HEX: usize = 64;

// ---- Events, their grid, venue and taxonomy.

pub const EVENT_NAME_MAX: usize = 200;
/// An event's description, per language.
pub const EVENT_DESCRIPTION_MAX: usize = 5000;
pub const VENUE_MAX: usize = 300;
/// An event's web address: lower-case letters, digits and dashes.
pub const SLUG_LENGTH: RangeInclusive<usize> = 3..=60;
pub const TERM_CODE_MAX: usize = 60;
pub const TERM_NAME_MAX: usize = 200;
pub const ROOM_NAME_MAX: usize = 120;
pub const ROOM_CAPACITY: RangeInclusive<i32> = 1..=100_000;
pub const TABLE_NUMBER: RangeInclusive<i32> = 1..=2000;
pub const TABLE_COUNT: RangeInclusive<i32> = 0..=2000;
/// The label of a table, a slot or a break.
pub const LABEL_MAX: usize = 80;
pub const SLOT_MINUTES: RangeInclusive<i32> = 5..=240;
pub const GAP_MINUTES: RangeInclusive<i32> = 0..=120;

// ---- The catalogue.

pub const FACTSHEET_TITLE_MAX: usize = 120;
pub const PITCH_MAX: usize = 300;
pub const FACTSHEET_DESCRIPTION_MAX: usize = 8000;
pub const PRICE_MODEL_MAX: usize = 500;
pub const TCO_STATEMENT_MAX: usize = 2000;
/// Contact name and email, evidence titles, reference cases' titles and clients.
pub const SHORT_TEXT_MAX: usize = 200;
pub const WEB_ADDRESS_MAX: usize = 500;
pub const CLAIM_EXPLANATION_MAX: usize = 1000;
pub const CASE_DESCRIPTION_MAX: usize = 2000;
pub const MAX_CLAIMS: usize = 40;
pub const MAX_EVIDENCE: usize = 10;
pub const MAX_REFERENCE_CASES: usize = 10;
pub const MAX_IMAGES: usize = 6;
pub const REVIEW_COMMENT_MAX: usize = 2000;
pub const STAND_MAX: usize = 20;
pub const PROJECT_WHAT_MAX: usize = 2000;
pub const PROJECT_WHEN_MAX: usize = 60;
/// Catalogue pages count from 1; a million pages is more than any catalogue has.
pub const PAGE: RangeInclusive<usize> = 1..=1_000_000;
pub const PER_PAGE: RangeInclusive<usize> = 1..=100;
/// Factsheet versions count from 1.
pub const FIRST_VERSION: i32 = 1;
pub const FILENAME_MAX: usize = 200;

// ---- The programme.

pub const SESSION_TITLE_MAX: usize = 200;
/// A session's description, per language.
pub const SESSION_DESCRIPTION_MAX: usize = 5000;
/// Seats of a session, in all or for one role.
pub const SESSION_CAPACITY: RangeInclusive<i32> = 0..=100_000;
pub const MAX_FACILITATORS: usize = 20;
pub const MAX_PITCHES: usize = 50;
pub const PITCH_MINUTES: RangeInclusive<i32> = 1..=240;
/// Waitlist places count from 1.
pub const FIRST_PLACE: i64 = 1;
/// A participant's questions or needs for a market dialogue, written ahead of it.
pub const SESSION_QUESTION_MAX: usize = 2000;

// ---- Meeting requests and availability.

/// The message that goes with a meeting request.
pub const MEETING_MESSAGE_MAX: usize = 1000;
/// The reason someone gives for declining a meeting request.
pub const DECLINE_REASON_MAX: usize = 500;
/// The reason an organiser gives a person for declining their registration.
pub const PARTICIPATION_DECLINE_REASON_MAX: usize = 1000;
/// An organiser's limit of open requests one person may send.
pub const REQUESTS_SENT_LIMIT: RangeInclusive<i32> = 0..=10_000;
/// An organiser's limit of meetings one person may have.
pub const MEETINGS_LIMIT: RangeInclusive<i32> = 0..=1_000;
/// Hours after which an unanswered request gets its reminder.
pub const REMINDER_HOURS: RangeInclusive<i32> = 1..=720;
/// Meeting slots one person may mark as unavailable in one go.
pub const MAX_UNAVAILABLE_SLOTS: usize = 2000;
/// Recommendations listed at once, and how many when the client does not say.
pub const RECOMMENDATIONS_LIMIT: RangeInclusive<usize> = 1..=100;
pub const RECOMMENDATIONS_DEFAULT: usize = 20;

// ---- Scheduling meetings.

/// Seconds a run of the meeting scheduler may search.
pub const SCHEDULE_TIME_LIMIT_SECONDS: RangeInclusive<i64> = 1..=600;
/// A run's seed (what a browser's numbers hold exactly).
pub const SCHEDULE_SEED: RangeInclusive<i64> = 0..=4_294_967_295;
/// Runs listed at once (the newest).
pub const SCHEDULE_RUNS_LISTED: u64 = 20;
/// Tables or slots a "what if" of a run adds.
pub const WHATIF_COUNT: RangeInclusive<i64> = 1..=20;
/// Minutes a "what if" makes the day longer at its end.
pub const WHATIF_MINUTES: RangeInclusive<i64> = 1..=240;
/// Seconds a "what if" solve may search. The organiser waits for the answer in the request,
/// so it stays well inside the request's time limit (`server.request_timeout_seconds`, 30 by
/// default); a longer search is a run.
pub const WHATIF_TIME_LIMIT_SECONDS: RangeInclusive<i64> = 1..=20;

// ---- The event's mail, as organisers see it.

/// Messages listed at once, and how many when the client does not say.
pub const MAIL_LISTED: RangeInclusive<u64> = 1..=200;
pub const MAIL_LISTED_DEFAULT: u64 = 50;
/// What an organiser searches the event's mail for (address, name or subject).
pub const MAIL_SEARCH_MAX: usize = 200;

// ---- The event day.

pub const ANNOUNCEMENT_MAX: usize = 2000;

// ---- Characters, as the checks see them.

/// What `str::trim` removes: Unicode White_Space (`char::is_whitespace`).
const WHITESPACE: &[(char, char)] = &[
    ('\t', '\r'),
    (' ', ' '),
    ('\u{85}', '\u{85}'),
    ('\u{a0}', '\u{a0}'),
    ('\u{1680}', '\u{1680}'),
    ('\u{2000}', '\u{200a}'),
    ('\u{2028}', '\u{2029}'),
    ('\u{202f}', '\u{202f}'),
    ('\u{205f}', '\u{205f}'),
    ('\u{3000}', '\u{3000}'),
];
/// Control characters (`char::is_control`, Unicode Cc).
const CONTROL: &[(char, char)] = &[('\0', '\u{1f}'), ('\u{7f}', '\u{9f}')];
/// The control characters other than tab, line feed and carriage return.
const CONTROL_BUT_LINE_BREAKS: &[(char, char)] = &[
    ('\0', '\u{8}'),
    ('\u{b}', '\u{c}'),
    ('\u{e}', '\u{1f}'),
    ('\u{7f}', '\u{9f}'),
];
/// Unicode line and paragraph separators, refused on one line.
const SEPARATORS: &[(char, char)] = &[('\u{2028}', '\u{2029}')];
/// Direction marks and overrides and the byte order mark, refused in file names.
const DIRECTION_MARKS: &[(char, char)] = &[
    ('\u{200e}', '\u{200f}'),
    ('\u{202a}', '\u{202e}'),
    ('\u{2066}', '\u{2069}'),
    ('\u{feff}', '\u{feff}'),
];

/// The inside of a regular expression character class holding `sets`, every character as
/// `\uXXXX` (ECMA-262, Python and Rust read it alike; all these are in the BMP).
fn class(sets: &[&[(char, char)]]) -> String {
    let mut out = String::new();
    for &(low, high) in sets.iter().flat_map(|set| set.iter()) {
        out.push_str(&format!("\\u{:04x}", low as u32));
        if high != low {
            out.push_str(&format!("-\\u{:04x}", high as u32));
        }
    }
    out
}

/// The class of single characters `chars`.
fn listed(chars: &str) -> String {
    chars
        .chars()
        .map(|c| format!("\\u{:04x}", c as u32))
        .collect()
}

fn whitespace() -> String {
    class(&[WHITESPACE])
}

/// The characters `domain::check_text` refuses in a text of this kind.
fn forbidden(lines: Lines) -> String {
    match lines {
        Lines::One => class(&[CONTROL, SEPARATORS]),
        Lines::Many => class(&[CONTROL_BUT_LINE_BREAKS]),
    }
}

/// The pattern of a text that `domain::check_text` accepts once trimmed; `required`: one
/// that is not blank either (`domain::required_text`).
pub fn text_pattern(lines: Lines, required: bool) -> String {
    let (w, c) = (whitespace(), forbidden(lines));
    if required {
        format!("^[{w}]*[^{c}]*[^{w}{c}][^{c}]*[{w}]*$")
    } else {
        format!("^[{w}]*[^{c}]*[{w}]*$")
    }
}

/// A value of the shape `core` once trimmed.
pub fn trimmed(core: &str) -> String {
    let w = whitespace();
    format!("^[{w}]*{core}[{w}]*$")
}

/// A clock time `HH:MM` (or `H:MM`), 00:00 to 23:59 (`events::grid::parse_clock`).
pub const CLOCK: &str = "(?:[01]?[0-9]|2[0-3]):[0-5][0-9]";

/// An event's slug (`events::service::check_slug`).
pub fn slug() -> String {
    format!(
        "[a-z0-9][a-z0-9-]{{{},{}}}[a-z0-9]",
        SLUG_LENGTH.start() - 2,
        SLUG_LENGTH.end() - 2
    )
}

/// An email address as `domain::Email::parse` takes it.
pub fn email() -> String {
    let refused = format!("{}{}", whitespace(), class(&[CONTROL]));
    let local = format!("[^{refused}{}]{{1,{EMAIL_LOCAL_MAX}}}", listed("@<>,;\"()"));
    let label = format!("[^{refused}{}]+", listed("@<>,;\"()."));
    format!("{local}@{label}(?:\\.{label})+")
}

/// An `http://` or `https://` address with a host that has a dot, on one line
/// (`catalogue::content::web_address`).
pub fn web_address() -> String {
    let refused = format!("{}{}", whitespace(), forbidden(Lines::One));
    let host = format!("[^{refused}{}]*", listed("/?#"));
    format!(
        "https?://{host}\\.{host}(?:[{}][^{refused}]*)?",
        listed("/?#")
    )
}

/// A file name `catalogue::uploads::check_filename` takes: no folder parts, no control,
/// direction or reserved characters, not starting with a dot.
pub fn filename() -> String {
    let refused = format!(
        "{}{}",
        class(&[CONTROL, DIRECTION_MARKS]),
        listed("<>:\"|?*/\\.")
    );
    let w = whitespace();
    format!("[^{w}{refused}](?:[^{refused}]|\\.[^{refused}])*\\.?")
}

/// A UUID as the server writes it (the `uuid` crate also reads other spellings).
pub const UUID: &str =
    "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

/// A path of the app (`auth::service::is_app_path`).
pub const APP_PATH: &str = "/(?:[A-Za-z0-9_.-][A-Za-z0-9/_.-]*)?";

// ---- Where the document states them.

/// A place in the document.
#[derive(Debug, Clone, Copy)]
pub enum At {
    /// A schema in `components.schemas`.
    Schema(&'static str),
    /// The JSON body of one operation (method, path), for rules of that operation only:
    /// what creating needs that editing does not.
    Body(&'static str, &'static str),
    /// The query parameters of one operation (method, path).
    Query(&'static str, &'static str),
}

/// What the server holds a value to.
#[derive(Debug, Clone)]
pub enum Rule {
    /// A text checked by `domain::check_text`: at most `max` characters, no control
    /// characters (on one line no line breaks or tabs either); `required`: not blank.
    Text {
        lines: Lines,
        max: usize,
        required: bool,
    },
    /// Once trimmed, the whole value matches `core` (a regular expression).
    Shape {
        core: String,
        max: Option<usize>,
    },
    Range(i64, i64),
    AtLeast(i64),
    Items {
        min: usize,
        max: Option<usize>,
    },
    OneOf(Vec<&'static str>),
    /// Must be given, and not null.
    Required,
    /// Must be left out or null.
    Absent,
    /// (On the object, field "") at least one of these texts is given and not blank.
    AnyFilled(&'static [&'static str], Lines),
    /// When `field` is `value`, this field must be given and hold to `rule`.
    When {
        field: &'static str,
        value: &'static str,
        rule: Box<Rule>,
    },
}

/// One rule at one place: `field` is a property of the object there (`name[]` for the
/// items of a list, `""` for the object itself) or a query parameter.
#[derive(Debug, Clone)]
pub struct Bound {
    pub at: At,
    pub field: &'static str,
    pub rule: Rule,
}

fn line(max: usize) -> Rule {
    Rule::Text {
        lines: Lines::One,
        max,
        required: false,
    }
}

fn required_line(max: usize) -> Rule {
    Rule::Text {
        lines: Lines::One,
        max,
        required: true,
    }
}

fn lines(max: usize) -> Rule {
    Rule::Text {
        lines: Lines::Many,
        max,
        required: false,
    }
}

fn range(r: &RangeInclusive<i32>) -> Rule {
    Rule::Range(i64::from(*r.start()), i64::from(*r.end()))
}

fn shape(core: impl Into<String>, max: Option<usize>) -> Rule {
    Rule::Shape {
        core: core.into(),
        max,
    }
}

fn optional(core: &str) -> String {
    format!("(?:{core})?")
}

/// Every bound and where the document states it.
pub fn rules() -> Vec<Bound> {
    use At::{Body, Query, Schema};
    let mut out = Vec::new();
    let mut at = |at: At, fields: Vec<(&'static str, Rule)>| {
        out.extend(
            fields
                .into_iter()
                .map(|(field, rule)| Bound { at, field, rule }),
        );
    };
    let languages = || Rule::OneOf(vec!["nl", "en"]);
    let clock = || shape(CLOCK, None);
    let at_most = |max| Rule::Items {
        min: 0,
        max: Some(max),
    };
    let address = || shape(email(), Some(EMAIL_MAX));
    let web = || shape(optional(&web_address()), Some(WEB_ADDRESS_MAX));

    // Logging in and the profile.
    at(
        Schema("LoginLinkRequest"),
        vec![
            ("email", address()),
            ("next", shape(optional(APP_PATH), Some(NEXT_PATH_MAX))),
        ],
    );
    let token = format!("[0-9A-Fa-f]{{{LOGIN_TOKEN_HEX}}}");
    at(
        Schema("ConfirmRequest"),
        vec![("token", shape(token, None))],
    );
    at(
        Schema("ProfileUpdate"),
        vec![
            ("name", required_line(PERSON_NAME_MAX)),
            ("phone", line(PHONE_MAX)),
            ("organisation", line(ORGANISATION_NAME_MAX)),
            ("job_title", line(JOB_TITLE_MAX)),
            ("language", languages()),
        ],
    );
    // Participants and registration.
    at(
        Schema("PersonInput"),
        vec![
            ("name", required_line(PERSON_NAME_MAX)),
            ("email", address()),
            ("organisation", line(ORGANISATION_NAME_MAX)),
            ("job_title", line(JOB_TITLE_MAX)),
            ("phone", line(PHONE_MAX)),
            // Empty: the event's first language.
            ("language", Rule::OneOf(vec!["nl", "en", ""])),
        ],
    );
    at(
        Schema("RegistrationInput"),
        vec![
            ("role", Rule::OneOf(vec!["buyer", "supplier"])),
            ("organisation", Rule::Required),
            ("organisation", required_line(ORGANISATION_NAME_MAX)),
        ],
    );
    // Events.
    at(
        Schema("EventInput"),
        vec![
            ("name", required_line(EVENT_NAME_MAX)),
            // Empty when creating: made from the name.
            ("slug", shape(optional(&slug()), Some(*SLUG_LENGTH.end()))),
            ("description_nl", lines(EVENT_DESCRIPTION_MAX)),
            ("description_en", lines(EVENT_DESCRIPTION_MAX)),
            ("venue", line(VENUE_MAX)),
            (
                "timezone",
                Rule::OneOf(chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()).collect()),
            ),
            ("languages", Rule::Items { min: 1, max: None }),
            ("languages[]", languages()),
            ("colour", shape("#[0-9A-Fa-f]{6}", None)),
        ],
    );
    at(
        Body("post", "/api/events"),
        vec![
            ("name", Rule::Required),
            ("start_date", Rule::Required),
            ("timezone", Rule::Required),
        ],
    );
    at(
        Body("patch", "/api/events/{event_id}"),
        vec![("slug", shape(slug(), None))],
    );
    // The taxonomy.
    at(
        Schema("TermInput"),
        vec![
            ("code", shape("[A-Za-z0-9_-]+", Some(TERM_CODE_MAX))),
            ("name_nl", required_line(TERM_NAME_MAX)),
            ("name_en", required_line(TERM_NAME_MAX)),
        ],
    );
    at(
        Body("post", "/api/events/{event_id}/taxonomy"),
        vec![
            ("kind", Rule::Required),
            ("code", Rule::Required),
            ("name_nl", Rule::Required),
            ("name_en", Rule::Required),
        ],
    );
    // Kind, code and goal stay as they were created.
    at(
        Body("patch", "/api/events/{event_id}/taxonomy/{term_id}"),
        vec![
            ("kind", Rule::Absent),
            ("code", Rule::Absent),
            ("parent_code", Rule::Absent),
        ],
    );
    // The venue.
    at(
        Schema("RoomInput"),
        vec![
            ("name", required_line(ROOM_NAME_MAX)),
            ("capacity", range(&ROOM_CAPACITY)),
        ],
    );
    at(
        Body("post", "/api/events/{event_id}/rooms"),
        vec![("name", Rule::Required), ("capacity", Rule::Required)],
    );
    at(
        Schema("TableInput"),
        vec![("number", range(&TABLE_NUMBER)), ("label", line(LABEL_MAX))],
    );
    at(Schema("TableCount"), vec![("count", range(&TABLE_COUNT))]);
    // The grid.
    at(
        Schema("SlotInput"),
        vec![
            ("start", clock()),
            ("end", clock()),
            ("label", line(LABEL_MAX)),
        ],
    );
    at(
        Body("post", "/api/events/{event_id}/slots"),
        vec![
            ("date", Rule::Required),
            ("start", Rule::Required),
            ("end", Rule::Required),
        ],
    );
    at(
        Schema("GenerateGrid"),
        vec![
            ("start", clock()),
            ("end", clock()),
            ("slot_minutes", range(&SLOT_MINUTES)),
            ("gap_minutes", range(&GAP_MINUTES)),
        ],
    );
    at(
        Schema("BreakInput"),
        vec![
            ("start", clock()),
            ("end", clock()),
            ("label", line(LABEL_MAX)),
        ],
    );
    // Factsheets.
    at(
        Schema("FactsheetContent"),
        vec![
            ("", Rule::AnyFilled(&["title_nl", "title_en"], Lines::One)),
            ("title_nl", line(FACTSHEET_TITLE_MAX)),
            ("title_en", line(FACTSHEET_TITLE_MAX)),
            ("pitch_nl", lines(PITCH_MAX)),
            ("pitch_en", lines(PITCH_MAX)),
            ("description_nl", lines(FACTSHEET_DESCRIPTION_MAX)),
            ("description_en", lines(FACTSHEET_DESCRIPTION_MAX)),
            ("price_model_nl", lines(PRICE_MODEL_MAX)),
            ("price_model_en", lines(PRICE_MODEL_MAX)),
            ("tco_statement_nl", lines(TCO_STATEMENT_MAX)),
            ("tco_statement_en", lines(TCO_STATEMENT_MAX)),
            ("contact_name", line(SHORT_TEXT_MAX)),
            (
                "contact_email",
                shape(optional(&email()), Some(SHORT_TEXT_MAX)),
            ),
            ("contact_phone", line(PHONE_MAX)),
            ("website", web()),
            ("country", shape("(?:[A-Za-z]{2})?", None)),
            ("claims", at_most(MAX_CLAIMS)),
            ("reference_cases", at_most(MAX_REFERENCE_CASES)),
            ("image_upload_ids", at_most(MAX_IMAGES)),
        ],
    );
    at(
        Schema("Claim"),
        vec![
            ("explanation_nl", lines(CLAIM_EXPLANATION_MAX)),
            ("explanation_en", lines(CLAIM_EXPLANATION_MAX)),
            ("evidence", at_most(MAX_EVIDENCE)),
        ],
    );
    at(
        Schema("Evidence"),
        vec![
            ("title", Rule::Required),
            ("title", required_line(SHORT_TEXT_MAX)),
            ("url", web()),
        ],
    );
    at(
        Schema("ReferenceCase"),
        vec![
            ("", Rule::AnyFilled(&["title_nl", "title_en"], Lines::One)),
            ("title_nl", line(SHORT_TEXT_MAX)),
            ("title_en", line(SHORT_TEXT_MAX)),
            ("client", line(SHORT_TEXT_MAX)),
            ("description_nl", lines(CASE_DESCRIPTION_MAX)),
            ("description_en", lines(CASE_DESCRIPTION_MAX)),
            ("url", web()),
        ],
    );
    let comment = Rule::Text {
        lines: Lines::Many,
        max: REVIEW_COMMENT_MAX,
        required: true,
    };
    at(
        Schema("ReviewInput"),
        vec![
            ("comment", lines(REVIEW_COMMENT_MAX)),
            (
                "comment",
                Rule::When {
                    field: "decision",
                    value: "return",
                    rule: Box::new(comment),
                },
            ),
        ],
    );
    at(Schema("StandInput"), vec![("stand", line(STAND_MAX))]);
    at(
        Schema("NeedsInput"),
        vec![
            ("project_what", lines(PROJECT_WHAT_MAX)),
            ("project_when", line(PROJECT_WHEN_MAX)),
            ("budget_min", Rule::AtLeast(0)),
            ("budget_max", Rule::AtLeast(0)),
        ],
    );
    at(
        Query("get", "/api/events/{event_id}/catalogue"),
        vec![
            (
                "page",
                Rule::Range(*PAGE.start() as i64, *PAGE.end() as i64),
            ),
            (
                "per_page",
                Rule::Range(*PER_PAGE.start() as i64, *PER_PAGE.end() as i64),
            ),
        ],
    );
    at(
        Query(
            "get",
            "/api/events/{event_id}/factsheets/{factsheet_id}/diff",
        ),
        vec![
            ("from", Rule::AtLeast(FIRST_VERSION.into())),
            ("to", Rule::AtLeast(FIRST_VERSION.into())),
        ],
    );
    at(
        Query("post", "/api/events/{event_id}/uploads"),
        vec![("filename", shape(filename(), Some(FILENAME_MAX)))],
    );
    // The programme.
    at(
        Schema("SessionInput"),
        vec![
            ("title_nl", required_line(SESSION_TITLE_MAX)),
            ("title_en", required_line(SESSION_TITLE_MAX)),
            ("description_nl", lines(SESSION_DESCRIPTION_MAX)),
            ("description_en", lines(SESSION_DESCRIPTION_MAX)),
            ("start", clock()),
            ("end", clock()),
            ("capacity", range(&SESSION_CAPACITY)),
            ("facilitators", at_most(MAX_FACILITATORS)),
            ("lineup", at_most(MAX_PITCHES)),
        ],
    );
    at(
        Body("post", "/api/events/{event_id}/sessions"),
        vec![
            ("kind", Rule::Required),
            ("title_nl", Rule::Required),
            ("title_en", Rule::Required),
            ("date", Rule::Required),
            ("start", Rule::Required),
            ("end", Rule::Required),
            ("capacity", Rule::Required),
        ],
    );
    at(
        Schema("RoleCapacity"),
        vec![
            ("buyer", range(&SESSION_CAPACITY)),
            ("supplier", range(&SESSION_CAPACITY)),
        ],
    );
    at(
        Schema("PitchInput"),
        vec![("minutes", range(&PITCH_MINUTES))],
    );
    at(
        Schema("MoveInput"),
        vec![("waitlist_position", Rule::AtLeast(FIRST_PLACE))],
    );
    at(
        Schema("QuestionInput"),
        vec![
            ("text", Rule::Required),
            (
                "text",
                Rule::Text {
                    lines: Lines::Many,
                    max: SESSION_QUESTION_MAX,
                    required: true,
                },
            ),
        ],
    );
    // Meeting requests, their rules and availability.
    at(
        Schema("RequestInput"),
        vec![("message", lines(MEETING_MESSAGE_MAX))],
    );
    at(
        Schema("DeclineInput"),
        vec![("reason", lines(DECLINE_REASON_MAX))],
    );
    at(
        Schema("ParticipantChange"),
        vec![("reason", lines(PARTICIPATION_DECLINE_REASON_MAX))],
    );
    at(
        Schema("RequestRulesInput"),
        vec![
            ("max_requests_sent", range(&REQUESTS_SENT_LIMIT)),
            ("reminder_after_hours", range(&REMINDER_HOURS)),
        ],
    );
    at(
        Schema("MeetingLimits"),
        vec![
            ("buyer", range(&MEETINGS_LIMIT)),
            ("supplier", range(&MEETINGS_LIMIT)),
        ],
    );
    at(
        Schema("AvailabilityInput"),
        vec![("slot_ids", at_most(MAX_UNAVAILABLE_SLOTS))],
    );
    at(
        Query("get", "/api/events/{event_id}/recommendations/me"),
        vec![(
            "limit",
            Rule::Range(
                *RECOMMENDATIONS_LIMIT.start() as i64,
                *RECOMMENDATIONS_LIMIT.end() as i64,
            ),
        )],
    );
    // The event's mail.
    at(
        Query("get", "/api/events/{event_id}/mail"),
        vec![
            (
                "limit",
                Rule::Range(*MAIL_LISTED.start() as i64, *MAIL_LISTED.end() as i64),
            ),
            ("q", line(MAIL_SEARCH_MAX)),
        ],
    );
    // Scheduling meetings.
    at(
        Schema("RunInput"),
        vec![
            (
                "time_limit_seconds",
                Rule::Range(
                    *SCHEDULE_TIME_LIMIT_SECONDS.start(),
                    *SCHEDULE_TIME_LIMIT_SECONDS.end(),
                ),
            ),
            (
                "seed",
                Rule::Range(*SCHEDULE_SEED.start(), *SCHEDULE_SEED.end()),
            ),
        ],
    );
    at(
        Schema("WhatIfInput"),
        vec![
            (
                "count",
                Rule::Range(*WHATIF_COUNT.start(), *WHATIF_COUNT.end()),
            ),
            (
                "minutes",
                Rule::Range(*WHATIF_MINUTES.start(), *WHATIF_MINUTES.end()),
            ),
            (
                "minutes",
                Rule::When {
                    field: "scenario",
                    value: "extra_minutes",
                    rule: Box::new(Rule::Required),
                },
            ),
            (
                "time_limit_seconds",
                Rule::Range(
                    *WHATIF_TIME_LIMIT_SECONDS.start(),
                    *WHATIF_TIME_LIMIT_SECONDS.end(),
                ),
            ),
        ],
    );
    // Announcements.
    let someone = || Box::new(Rule::Items { min: 1, max: None });
    at(
        Schema("AnnouncementInput"),
        vec![
            ("", Rule::AnyFilled(&["body_nl", "body_en"], Lines::Many)),
            ("body_nl", lines(ANNOUNCEMENT_MAX)),
            ("body_en", lines(ANNOUNCEMENT_MAX)),
            (
                "roles",
                Rule::When {
                    field: "audience",
                    value: "roles",
                    rule: someone(),
                },
            ),
            (
                "people",
                Rule::When {
                    field: "audience",
                    value: "people",
                    rule: someone(),
                },
            ),
        ],
    );
    out
}

impl Rule {
    /// The JSON Schema keywords of a rule on one value.
    pub fn keywords(&self) -> Map<String, Value> {
        let mut out = Map::new();
        match self {
            Rule::Text {
                lines,
                max,
                required,
            } => {
                if *required {
                    out.insert("minLength".into(), json!(1));
                }
                out.insert("maxLength".into(), json!(max));
                out.insert("pattern".into(), json!(text_pattern(*lines, *required)));
            }
            Rule::Shape { core, max } => {
                if let Some(max) = max {
                    out.insert("maxLength".into(), json!(max));
                }
                out.insert("pattern".into(), json!(trimmed(core)));
            }
            Rule::Range(min, max) => {
                out.insert("minimum".into(), json!(min));
                out.insert("maximum".into(), json!(max));
            }
            Rule::AtLeast(min) => {
                out.insert("minimum".into(), json!(min));
            }
            Rule::Items { min, max } => {
                if *min > 0 {
                    out.insert("minItems".into(), json!(min));
                }
                if let Some(max) = max {
                    out.insert("maxItems".into(), json!(max));
                }
            }
            Rule::OneOf(values) => {
                out.insert("enum".into(), json!(values));
            }
            Rule::Required | Rule::Absent | Rule::AnyFilled(..) | Rule::When { .. } => {}
        }
        out
    }
}

/// Writes every bound of [`rules`] into the document; returns what could not be placed
/// (a schema, operation, parameter or property that is not there). Writing them twice
/// changes nothing, which is how the tests check that a served document holds them all.
pub fn state_in(doc: &mut Value) -> Vec<String> {
    state_uuid_shape(doc);
    let mut problems = Vec::new();
    for bound in rules() {
        if let Err(problem) = state_one(doc, &bound) {
            problems.push(format!("{:?} {}: {problem}", bound.at, bound.field));
        }
    }
    problems
}

fn state_one(doc: &mut Value, bound: &Bound) -> Result<(), String> {
    match bound.at {
        At::Query(method, path) => {
            let parameters = doc
                .pointer_mut(&format!("/paths/{}/{method}/parameters", escape(path)))
                .and_then(Value::as_array_mut)
                .ok_or("no such operation with parameters")?;
            let parameter = parameters
                .iter_mut()
                .find(|p| p["name"] == bound.field && p["in"] == "query")
                .ok_or("no such query parameter")?;
            if matches!(bound.rule, Rule::Required) {
                parameter["required"] = json!(true);
                return Ok(());
            }
            let schema = parameter
                .get_mut("schema")
                .and_then(Value::as_object_mut)
                .ok_or("the parameter has no schema")?;
            schema.extend(bound.rule.keywords());
            Ok(())
        }
        At::Schema(name) => {
            let schemas = doc
                .pointer_mut("/components/schemas")
                .and_then(Value::as_object_mut)
                .ok_or("the document has no schemas")?;
            // The properties another schema lends through `allOf` (a flattened struct).
            let lent = lent_properties(schemas, name);
            let schema = schemas
                .get_mut(name)
                .and_then(Value::as_object_mut)
                .ok_or("no such schema")?;
            let object = own_part(schema)?;
            state_on_object(object, bound, |field| lent.get(field).cloned())
        }
        At::Body(method, path) => {
            let pointer = format!(
                "/paths/{}/{method}/requestBody/content/application~1json/schema",
                escape(path)
            );
            let base_name = doc
                .pointer(&pointer)
                .and_then(|s| s.get("allOf").and_then(|a| a.get(0)).or(Some(s)))
                .and_then(|s| s["$ref"].as_str())
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
                .ok_or("no such operation with a JSON body of a named schema")?
                .to_string();
            let base = doc
                .pointer("/components/schemas")
                .and_then(Value::as_object)
                .map(|schemas| {
                    let mut all = lent_properties(schemas, &base_name);
                    if let Some(own) = schemas.get(&base_name).and_then(|s| s.get("properties")) {
                        all.extend(own.as_object().cloned().unwrap_or_default());
                    }
                    all
                })
                .unwrap_or_default();
            let schema = doc
                .pointer_mut(&pointer)
                .ok_or("no such operation with a JSON body")?;
            // The operation's own rules narrow the shared schema: allOf [shared, own].
            if schema.get("allOf").is_none() {
                let shared = schema.take();
                *schema = json!({ "allOf": [shared, { "type": "object" }] });
            }
            let object = schema
                .pointer_mut("/allOf/1")
                .and_then(Value::as_object_mut)
                .ok_or("the body's own part is missing")?;
            state_on_object(object, bound, |field| base.get(field).cloned())
        }
    }
}

/// Every id in the document (`format: uuid`) gets the pattern of a UUID.
fn state_uuid_shape(value: &mut Value) {
    match value {
        Value::Object(object) => {
            if object.get("format").is_some_and(|f| f == "uuid") {
                object.insert("pattern".into(), json!(UUID));
            }
            object.values_mut().for_each(state_uuid_shape);
        }
        Value::Array(items) => items.iter_mut().for_each(state_uuid_shape),
        _ => {}
    }
}

/// `~` and `/` escaped for a JSON pointer.
fn escape(path: &str) -> String {
    path.replace('~', "~0").replace('/', "~1")
}

/// The properties of the `$ref`ed schemas in `name`'s `allOf`.
fn lent_properties(schemas: &Map<String, Value>, name: &str) -> Map<String, Value> {
    let mut out = Map::new();
    let parts = schemas
        .get(name)
        .and_then(|s| s.get("allOf"))
        .and_then(Value::as_array);
    for part in parts.into_iter().flatten() {
        let lent = part["$ref"]
            .as_str()
            .and_then(|r| r.strip_prefix("#/components/schemas/"))
            .and_then(|n| schemas.get(n))
            .and_then(|s| s.get("properties"))
            .and_then(Value::as_object);
        if let Some(lent) = lent {
            out.extend(lent.clone());
        }
    }
    out
}

/// The part of a schema that holds its own properties: the schema itself, or the last
/// member of its `allOf` with properties (a flattened struct's own fields).
fn own_part(schema: &mut Map<String, Value>) -> Result<&mut Map<String, Value>, String> {
    let index = schema
        .get("allOf")
        .and_then(Value::as_array)
        .and_then(|parts| parts.iter().rposition(|p| p.get("properties").is_some()));
    let Some(index) = index else {
        return Ok(schema);
    };
    schema
        .get_mut("allOf")
        .and_then(|parts| parts.get_mut(index))
        .and_then(Value::as_object_mut)
        .ok_or_else(|| "the schema's own part is not an object".to_string())
}

/// States a rule on a property of `object` (a schema's own part or an operation's);
/// `elsewhere` finds a property the object does not hold itself (a shared schema's).
fn state_on_object(
    object: &mut Map<String, Value>,
    bound: &Bound,
    elsewhere: impl Fn(&str) -> Option<Value>,
) -> Result<(), String> {
    let field = bound.field;
    match &bound.rule {
        Rule::AnyFilled(fields, lines) => {
            let choices: Vec<Value> = fields
                .iter()
                .map(|f| {
                    json!({
                        "required": [f],
                        "properties": { *f: {
                            "type": "string",
                            "pattern": text_pattern(*lines, true),
                        }},
                    })
                })
                .collect();
            push_unique(object, "allOf", json!({ "anyOf": choices }));
            return Ok(());
        }
        Rule::When {
            field: when,
            value,
            rule,
        } => {
            let base = property(object, field, &elsewhere)?;
            let mut then = non_null(&base);
            if let Some(then) = then.as_object_mut() {
                then.remove("description");
                then.extend(rule.keywords());
            }
            let otherwise = json!({ "properties": { *when: { "not": { "const": value } } } });
            let then = json!({ "required": [field], "properties": { field: then } });
            push_unique(object, "allOf", json!({ "anyOf": [otherwise, then] }));
            return Ok(());
        }
        _ => {}
    }
    let (name, items) = match field.strip_suffix("[]") {
        Some(name) => (name, true),
        None => (field, false),
    };
    let base = property(object, name, &elsewhere)?;
    let properties = object
        .entry("properties")
        .or_insert_with(|| json!({}))
        .as_object_mut()
        .ok_or("`properties` is not an object")?;
    match &bound.rule {
        Rule::Required => {
            // Only what excludes null: the shared schema states the rest.
            let narrowed: Map<String, Value> = non_null(&base)
                .as_object()
                .into_iter()
                .flatten()
                .filter(|(key, _)| *key == "type" || *key == "$ref")
                .map(|(key, value)| (key.clone(), value.clone()))
                .collect();
            let own = properties.entry(name).or_insert_with(|| json!({}));
            match own.as_object_mut() {
                // The object's own property loses its `null`, and a default it would not
                // need.
                Some(own) if !own.is_empty() => {
                    own.remove("default");
                    *own = non_null(&Value::Object(own.clone()))
                        .as_object()
                        .cloned()
                        .unwrap_or_default();
                }
                _ => *own = Value::Object(narrowed),
            }
            push_unique(object, "required", json!(name));
        }
        Rule::Absent => {
            properties.insert(name.into(), json!({ "type": "null" }));
        }
        rule => {
            let own = properties.entry(name).or_insert_with(|| json!({}));
            let target = if items {
                own.as_object_mut()
                    .ok_or("the property is not a schema")?
                    .entry("items")
                    .or_insert_with(|| json!({}))
            } else {
                own
            };
            let nullable = is_nullable(if items { &base["items"] } else { &base });
            let target = target
                .as_object_mut()
                .ok_or("the property is not a schema")?;
            let mut keywords = rule.keywords();
            // `enum` lists every value, so a property that may be null keeps null in it.
            if let (true, Some(Value::Array(values))) = (nullable, keywords.get_mut("enum")) {
                values.push(Value::Null);
            }
            target.extend(keywords);
        }
    }
    Ok(())
}

/// The schema of property `name`: the object's own, or one found elsewhere.
fn property(
    object: &Map<String, Value>,
    name: &str,
    elsewhere: &impl Fn(&str) -> Option<Value>,
) -> Result<Value, String> {
    let name = name.strip_suffix("[]").unwrap_or(name);
    object
        .get("properties")
        .and_then(|p| p.get(name))
        .filter(|p| p.as_object().is_some_and(|p| !p.is_empty()))
        .cloned()
        .or_else(|| elsewhere(name))
        .ok_or_else(|| format!("no property `{name}`"))
}

fn is_nullable(schema: &Value) -> bool {
    let typed = schema["type"]
        .as_array()
        .is_some_and(|t| t.iter().any(|t| t == "null"));
    let one_of = schema["oneOf"]
        .as_array()
        .is_some_and(|o| o.iter().any(|s| s["type"] == "null"));
    typed || one_of
}

/// The schema without `null` among its values.
fn non_null(schema: &Value) -> Value {
    let mut out = schema.clone();
    if let Some(types) = out["type"].as_array() {
        let kept: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
        out["type"] = match kept.as_slice() {
            [one] => one.clone(),
            _ => Value::Array(kept),
        };
    }
    if let Some(choices) = out["oneOf"].as_array() {
        let kept: Vec<Value> = choices
            .iter()
            .filter(|s| s["type"] != "null")
            .cloned()
            .collect();
        if let (Some(object), [one]) = (out.as_object_mut(), kept.as_slice()) {
            object.remove("oneOf");
            if let Some(one) = one.as_object() {
                object.extend(one.clone());
            }
        } else {
            out["oneOf"] = Value::Array(kept);
        }
    }
    out
}

/// Adds `value` to the array `key` of `object` unless it is there already.
fn push_unique(object: &mut Map<String, Value>, key: &str, value: Value) {
    let list = object.entry(key).or_insert_with(|| json!([]));
    if let Some(list) = list.as_array_mut()
        && !list.contains(&value)
    {
        list.push(value);
    }
}

#[cfg(test)]
mod tests {
    use regex::Regex;

    use super::*;
    use crate::domain::{check_text, required_text};

    fn accepted(text: &str, lines: Lines, required: bool) -> bool {
        let text = text.trim();
        let mut errors = Vec::new();
        check_text(text, "f", usize::MAX, lines, &mut errors);
        errors.is_empty() && !(required && text.is_empty())
    }

    /// The patterns of texts say exactly what `domain::check_text` does (with
    /// `domain::required_text` for required ones), for every character of the Basic
    /// Multilingual Plane and a sample of the others, alone, between letters and around
    /// them.
    #[test]
    fn text_patterns_agree_with_the_check_for_every_character() {
        let mut errors = Vec::new();
        required_text(" \t ", "f", 10, &mut errors);
        assert!(
            !errors.is_empty(),
            "blank is refused where a text is required"
        );
        for (lines, required) in [
            (Lines::One, false),
            (Lines::One, true),
            (Lines::Many, false),
            (Lines::Many, true),
        ] {
            let pattern = Regex::new(&text_pattern(lines, required)).unwrap();
            let astral = (0x10000..=0x10ffff).step_by(251);
            for c in (0..=0xffff).chain(astral).filter_map(char::from_u32) {
                for text in [c.to_string(), format!("a{c}b"), format!("{c}a{c}")] {
                    assert_eq!(
                        pattern.is_match(&text),
                        accepted(&text, lines, required),
                        "{lines:?} required={required}: {text:?}"
                    );
                }
            }
            assert!(pattern.is_match("  Ann Peeters \n"));
            assert_eq!(pattern.is_match(""), !required);
            assert_eq!(pattern.is_match(" \t "), !required);
        }
    }

    #[test]
    fn whitespace_and_control_classes_are_the_ones_rust_uses() {
        let inside = |set: &[(char, char)], c: char| set.iter().any(|&(a, b)| (a..=b).contains(&c));
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            assert_eq!(inside(WHITESPACE, c), c.is_whitespace(), "{c:?}");
            assert_eq!(inside(CONTROL, c), c.is_control(), "{c:?}");
        }
    }

    #[test]
    fn shapes_take_what_the_server_takes() {
        let full = |core: &str| Regex::new(&trimmed(core)).unwrap();
        let clock = full(CLOCK);
        for (text, ok) in [
            ("9:05", true),
            (" 13:20 ", true),
            ("23:59", true),
            ("24:00", false),
            ("12:5", false),
            ("", false),
        ] {
            assert_eq!(clock.is_match(text), ok, "{text:?}");
            assert_eq!(
                crate::events::grid::parse_clock(text, "t").is_ok(),
                ok,
                "{text:?}"
            );
        }
        let email = full(&email());
        for raw in [
            "ann@example.be",
            " Ann.Peeters@Example.BE ",
            "",
            "ann",
            "ann@",
            "@x.be",
            "ann@x",
            "a b@x.be",
            "ann@x..be",
            "a@b@c.be",
            "<a@b.be>",
            "a\u{0}b@x.be",
            "ann@.x.be",
        ] {
            assert_eq!(
                email.is_match(raw),
                crate::domain::Email::parse(raw).is_ok(),
                "{raw:?}"
            );
        }
        let slug = full(&slug());
        for (text, ok) in [
            ("abc", true),
            ("ab", false),
            ("-abc", false),
            ("abc-", false),
            ("a-b-c", true),
            ("Abc", false),
        ] {
            assert_eq!(slug.is_match(text), ok, "{text:?}");
        }
        let filename = full(&filename());
        for name in [
            "../etc/passwd",
            "a\\b.pdf",
            ".htaccess",
            "report\u{202E}fdp.exe",
            "a\u{0}.pdf",
            "",
            "con:.pdf",
            " Jaarverslag 2025.PDF ",
            "a.",
            "a..b",
            "a. .",
            "a b.c.pdf",
            " .pdf",
        ] {
            assert_eq!(
                filename.is_match(name),
                crate::catalogue::uploads::check_filename(name).is_ok(),
                "{name:?}"
            );
        }
        let web = full(&optional(&web_address()));
        for (text, ok) in [
            ("https://example.be", true),
            ("http://a.b/c?d#e", true),
            ("", true),
            ("javascript:alert(1)", false),
            ("https://localhost", false),
            ("https://a.b/c d", false),
        ] {
            assert_eq!(web.is_match(text), ok, "{text:?}");
        }
    }
}
