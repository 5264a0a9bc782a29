//! Domain values parsed once at the edge: an email address, a role, a participation status,
//! a language, a time zone. Inside the services a value of these types is valid by construction.
//!
//! The values stored in string columns (roles, statuses, states, kinds, and the lists and
//! documents kept as text) are declared here once and used as the entities' field types, so
//! reading a row maps them, and a value the code does not know fails the read with an error
//! naming it instead of becoming a default.

use std::fmt;
use std::str::FromStr;

use sea_orm::entity::prelude::StringLen;
use sea_orm::{ActiveEnum, DeriveActiveEnum, DeriveValueType, EnumIter};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::FieldError;

/// A normalised (trimmed, lower-case) email address of a plausible shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let email = raw.trim().to_lowercase();
        if email.is_empty() {
            return Err("required");
        }
        // Control characters would reach mail headers, and PostgreSQL cannot store NUL.
        // Lengths count characters, as every length the API states does.
        let valid = email.chars().count() <= crate::bounds::EMAIL_MAX
            && !email.contains(|c: char| c.is_whitespace() || c.is_control())
            && !email.contains(['<', '>', ',', ';', '"', '(', ')'])
            && match email.split_once('@') {
                Some((local, domain)) => {
                    !local.is_empty()
                        && local.chars().count() <= crate::bounds::EMAIL_LOCAL_MAX
                        && !domain.contains('@')
                        && domain.contains('.')
                        && !domain.starts_with('.')
                        && !domain.ends_with('.')
                        && !domain.contains("..")
                }
                None => false,
            }
            // What the mail transport cannot address would fail later, at delivery,
            // instead of now at the form.
            && email.parse::<lettre::Address>().is_ok();
        if valid {
            Ok(Email(email))
        } else {
            Err("invalid_email")
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn field(raw: &str, field: &str) -> Result<Self, FieldError> {
        Email::parse(raw).map_err(|code| {
            FieldError::new(
                field,
                code,
                if code == "required" {
                    "an email address is required"
                } else {
                    "not a valid email address"
                },
            )
        })
    }
}

/// Declares a value that is stored in a string column and travels in JSON, with its
/// spelling given once: the database mapping (a sea-orm active enum, so an unknown stored
/// value is a `DbErr::Type` naming it, never a default), the JSON form and `as_str`.
macro_rules! stored_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident = $value:tt, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            Serialize, Deserialize, ToSchema, EnumIter, DeriveActiveEnum,
        )]
        #[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
        pub enum $name {
            $(
                $(#[$variant_meta])*
                #[sea_orm(string_value = $value)]
                #[serde(rename = $value)]
                $variant,
            )+
        }

        impl $name {
            /// The stored and JSON spelling.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $value, )+
                }
            }
        }
    };
}

stored_enum! {
    /// A person's role in one event.
    pub enum Role {
        Organiser = "organiser",
        Facilitator = "facilitator",
        Supplier = "supplier",
        Buyer = "buyer",
    }
}

impl Role {
    /// Reads a role as people write it in a spreadsheet, in English or Dutch.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim().to_lowercase().as_str() {
            "organiser" | "organizer" | "organisator" | "organisatie" => Some(Role::Organiser),
            "facilitator" | "moderator" => Some(Role::Facilitator),
            "supplier" | "aanbieder" | "leverancier" => Some(Role::Supplier),
            "buyer" | "koper" | "aankoper" | "inkoper" => Some(Role::Buyer),
            _ => None,
        }
    }
}

stored_enum! {
    /// Where a person's participation in an event stands.
    pub enum Status {
        Invited = "invited",
        Registered = "registered",
        Approved = "approved",
        Declined = "declined",
        Cancelled = "cancelled",
    }
}

impl Status {
    /// Whether a person with this status takes part: sees the event, its people and the
    /// catalogue, uploads, opens the live socket. An organiser granted it (an invitation, or
    /// an approval). `Registered` waits for that approval and sees only its own registration.
    pub fn is_active(self) -> bool {
        matches!(self, Status::Invited | Status::Approved)
    }
}

stored_enum! {
    /// The language a person reads mail and pages in.
    pub enum Lang {
        Nl = "nl",
        En = "en",
    }
}

stored_enum! {
    /// The state of a factsheet's working copy.
    pub enum FactsheetStatus {
        Draft = "draft",
        Submitted = "submitted",
        Returned = "returned",
        Published = "published",
    }
}

stored_enum! {
    /// What one row of a factsheet's history did.
    pub enum FactsheetAction {
        Created = "created",
        Saved = "saved",
        Submitted = "submitted",
        Withdrawn = "withdrawn",
        Returned = "returned",
        Approved = "approved",
        /// Saved and published at once (review of changes off).
        Published = "published",
        /// An organiser set or removed the stand number.
        Stand = "stand",
    }
}

stored_enum! {
    /// The lists of an event's taxonomy.
    pub enum TermKind {
        ProductGroup = "product_group",
        AmbitionGoal = "ambition_goal",
        AmbitionStrategy = "ambition_strategy",
        BusinessModel = "business_model",
        EvidenceKind = "evidence_kind",
        DialogueTheme = "dialogue_theme",
    }
}

stored_enum! {
    /// What a slot of the meeting grid is for.
    pub enum SlotKind {
        Meeting = "meeting",
        Break = "break",
    }
}

stored_enum! {
    /// What an upload is for; it decides the accepted formats and how they are stored.
    pub enum UploadPurpose {
        /// PNG, JPEG, GIF or WebP; stored as PNG of at most 512 px.
        Logo = "logo",
        /// PNG, JPEG, GIF or WebP; stored as JPEG of at most 1600 px.
        Image = "image",
        /// PDF, stored as it is.
        Document = "document",
    }
}

stored_enum! {
    /// What a login link is for; an invitation link also accepts the invitation.
    pub enum LinkPurpose {
        Login = "login",
        Invitation = "invitation",
    }
}

stored_enum! {
    /// Where a message in the mail outbox stands.
    pub enum MailStatus {
        Pending = "pending",
        Sending = "sending",
        Sent = "sent",
        Failed = "failed",
    }
}

stored_enum! {
    /// What an email is: the template it was written from (`templates/mail/kinds/<kind>.j2`).
    pub enum MailKind {
        LoginLink = "login_link",
        Invitation = "invitation",
        Registered = "registered",
        AlreadyRegistered = "already_registered",
        Approved = "approved",
        JoinRequest = "join_request",
        FactsheetReviewed = "factsheet_reviewed",
        SessionSeat = "session_seat",
        SessionRemoved = "session_removed",
        MeetingRequestReceived = "meeting_request_received",
        MeetingRequestAnswered = "meeting_request_answered",
        MeetingWithdrawn = "meeting_withdrawn",
        MeetingReminder = "meeting_reminder",
        MeetingLapsed = "meeting_lapsed",
        MeetingOff = "meeting_off",
        MeetingEdited = "meeting_edited",
        MeetingDigest = "meeting_digest",
        MeetingSchedule = "meeting_schedule",
        RegistrationDeclined = "registration_declined",
        SessionSignedUp = "session_signed_up",
        SessionChanged = "session_changed",
        SessionCancelled = "session_cancelled",
        DayBefore = "day_before",
        Announcement = "announcement",
    }
}

impl MailKind {
    /// What the link in an email of this kind does, so a message sent again gets a fresh
    /// one of the same sort: a short login link for what the person just asked for, the
    /// longer-lived link otherwise.
    pub fn link_purpose(self) -> LinkPurpose {
        match self {
            MailKind::LoginLink | MailKind::AlreadyRegistered | MailKind::JoinRequest => {
                LinkPurpose::Login
            }
            _ => LinkPurpose::Invitation,
        }
    }
}

stored_enum! {
    /// Who an announcement is for.
    pub enum Recipients {
        Everyone = "everyone",
        Roles = "roles",
        People = "people",
    }
}

stored_enum! {
    /// What a session of the programme is.
    pub enum SessionKind {
        /// A group conversation per product group, led by a facilitator.
        MarketDialogue = "market_dialogue",
        /// Suppliers pitch their offer in short slots, in a line-up.
        Pitch = "pitch",
        Plenary = "plenary",
        Networking = "networking",
    }
}

stored_enum! {
    /// Where one person's sign-up for a session stands.
    pub enum SignupStatus {
        /// Holds a seat.
        Confirmed = "confirmed",
        /// Waits for a seat, in arrival order.
        Waitlisted = "waitlisted",
    }
}

stored_enum! {
    /// What one row of a session's sign-up log records.
    pub enum SignupAction {
        /// An organiser gave the person a seat, beyond capacity if need be.
        Added = "added",
        /// An organiser took the person off the session.
        Removed = "removed",
        /// An organiser moved the person to another place on the waitlist.
        Moved = "moved",
        /// A freed seat went to the person, first on the waitlist who could take it.
        Promoted = "promoted",
    }
}

stored_enum! {
    /// How a membership of an organisation was granted.
    pub enum GrantKind {
        /// Recorded when grants were introduced, for links made before.
        Existing = "existing",
        /// The person named a new organisation (or an organiser did for them) and became
        /// one of its first members.
        Founded = "founded",
        /// A member let them in.
        Added = "added",
        /// An organiser of an event assigned them.
        Assigned = "assigned",
        /// Demo data.
        Demo = "demo",
    }
}

stored_enum! {
    /// Where a request to join an organisation stands.
    pub enum RequestStatus {
        /// Waits for a member or an organiser.
        Pending = "pending",
        Confirmed = "confirmed",
        Declined = "declined",
        /// The person named another organisation, or joined one, meanwhile.
        Withdrawn = "withdrawn",
    }
}

stored_enum! {
    /// How someone became an organiser of an event.
    pub enum Appointment {
        /// Recorded when appointments began to be kept, for organisers appointed before.
        Existing = "existing",
        Invitation = "invitation",
        Import = "import",
        /// An organiser changed a participant's role.
        RoleChange = "role_change",
    }
}

stored_enum! {
    /// What a live message is about: its `type` for clients (docs/live.md, "Messages").
    pub enum LiveKind {
        Announcement = "announcement",
        Factsheet = "factsheet",
        /// A session of the programme was created or changed (docs/programme.md).
        SessionChanged = "session_changed",
        SessionDeleted = "session_deleted",
        /// A session's seat and waitlist counts after a sign-up change.
        SessionSeats = "session_seats",
        /// The reader's own sign-up changed (a promotion, an organiser's change).
        MySignup = "my_signup",
        /// Someone asked the reader for a one-to-one meeting (docs/meetings.md).
        MeetingRequestReceived = "meeting_request_received",
        /// The other side accepted the reader's meeting request.
        MeetingRequestAccepted = "meeting_request_accepted",
        /// The other side declined the reader's meeting request.
        MeetingRequestDeclined = "meeting_request_declined",
        /// The requester withdrew a meeting request to the reader, or left the event.
        MeetingRequestWithdrawn = "meeting_request_withdrawn",
        /// A request the reader received is still unanswered: the one reminder.
        MeetingRequestReminder = "meeting_request_reminder",
        /// A request of the reader's lapsed: nobody answered it in time, or the one asked
        /// left the event.
        MeetingRequestExpired = "meeting_request_expired",
        /// An organiser placed, moved or cancelled one of the reader's scheduled meetings
        /// by hand (docs/scheduling.md, "Editing by hand").
        MyMeeting = "my_meeting",
        /// A run of the meeting scheduler progressed or changed state (organisers only;
        /// docs/scheduling.md, "In the app").
        ScheduleRun = "schedule_run",
        /// The reader's scheduled meetings changed: a schedule was published.
        MeetingsChanged = "meetings_changed",
        /// An organiser placed, moved, swapped, pinned or cancelled meetings by hand
        /// (organisers only, so every open schedule page follows).
        MeetingsEdited = "meetings_edited",
    }
}

stored_enum! {
    /// How much someone wants a one-to-one meeting; the scheduler weighs it.
    pub enum MeetingPriority {
        Must = "must",
        WouldLike = "would_like",
        /// If time allows.
        IfTime = "if_time",
    }
}

stored_enum! {
    /// Where a meeting request stands (docs/meetings.md, "States").
    pub enum MeetingRequestStatus {
        /// Waits for the other side's answer.
        Pending = "pending",
        /// Both want the meeting; the scheduler may give it a slot.
        Accepted = "accepted",
        Declined = "declined",
        /// The requester took it back.
        Withdrawn = "withdrawn",
        /// Nobody answered, and the organiser's rule let it lapse.
        Expired = "expired",
        /// The scheduler gave the meeting a slot; it can no longer be withdrawn.
        Scheduled = "scheduled",
    }
}

impl MeetingRequestStatus {
    /// Whether the request stands: it counts against the requester's limit of requests,
    /// and a new request for the same pair is refused.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            MeetingRequestStatus::Pending
                | MeetingRequestStatus::Accepted
                | MeetingRequestStatus::Scheduled
        )
    }

    /// Whether it is a meeting both sides want: it counts against their limits of meetings.
    pub fn is_meeting(self) -> bool {
        matches!(
            self,
            MeetingRequestStatus::Accepted | MeetingRequestStatus::Scheduled
        )
    }
}

stored_enum! {
    /// Where a run of the meeting scheduler stands (docs/scheduling.md, "In the app").
    pub enum ScheduleRunStatus {
        /// Waits for an instance to claim it.
        Queued = "queued",
        Running = "running",
        /// Finished: its preview can be read and published.
        Done = "done",
        /// It stopped with an error, or the instance running it stopped answering.
        Failed = "failed",
        /// The organiser stopped it.
        Cancelled = "cancelled",
    }
}

impl ScheduleRunStatus {
    /// Queued or running: the event's one run at a time.
    pub fn is_active(self) -> bool {
        matches!(self, ScheduleRunStatus::Queued | ScheduleRunStatus::Running)
    }
}

stored_enum! {
    /// What a run of the scheduler may change.
    pub enum ScheduleMode {
        /// Everything may move; published meetings only when it is worth their change
        /// penalty, pinned ones never.
        Full = "full",
        /// Published meetings stay where they are; only meetings not yet scheduled are added
        /// (late requests).
        AddOnly = "add_only",
    }
}

stored_enum! {
    /// Where a meeting of the schedule stands.
    pub enum MeetingStatus {
        Scheduled = "scheduled",
        Cancelled = "cancelled",
    }
}

stored_enum! {
    /// What happens to a request nobody answered after its reminder (an organiser's rule).
    pub enum UnansweredRule {
        /// It lapses.
        Expire = "expire",
        /// It counts as accepted, at the requester's priority.
        Accept = "accept",
    }
}

stored_enum! {
    /// What a person is told about one of their meeting requests; a notice waiting for
    /// their digest keeps it (docs/meetings.md, "Digests").
    pub enum MeetingNoticeKind {
        /// Someone asked them for a meeting.
        Received = "received",
        /// Someone asked them, and it counts as a meeting at once (no acceptance needed).
        ReceivedAccepted = "received_accepted",
        /// The one they asked accepted.
        Accepted = "accepted",
        /// The one they asked declined.
        Declined = "declined",
        /// The requester withdrew a meeting they had accepted.
        Withdrawn = "withdrawn",
        /// A request to them is still unanswered.
        Reminder = "reminder",
        /// Nobody answered the request in time and it lapsed.
        Expired = "expired",
        /// Nobody answered the request in time and it counts as accepted.
        AutoAccepted = "auto_accepted",
        /// The other side left the event: the request or meeting is off.
        OtherLeft = "other_left",
    }
}

stored_enum! {
    /// When notification emails go out.
    pub enum EmailTiming {
        /// One email per notification, at once.
        Immediate = "immediate",
        /// Collected into a digest every few hours.
        Digest = "digest",
    }
}

/// A value in the database that the code does not know. Reading it fails with this error,
/// which names the value (and is logged with the request or job that read it).
#[derive(Debug, thiserror::Error)]
#[error("unknown {what} {value:?} stored{detail}")]
pub struct UnknownStored {
    what: &'static str,
    value: String,
    detail: String,
}

impl UnknownStored {
    fn new(what: &'static str, value: &str) -> Self {
        UnknownStored {
            what,
            value: value.into(),
            detail: String::new(),
        }
    }

    /// Reads JSON text; what cannot be read is named (its start, for long texts) with why.
    fn json<T: serde::de::DeserializeOwned>(what: &'static str, raw: &str) -> Result<T, Self> {
        serde_json::from_str(raw).map_err(|err| UnknownStored {
            what,
            value: raw.chars().take(200).collect(),
            detail: format!(" ({err})"),
        })
    }
}

/// Who a live message is for; stored as `event`, `role:<role>` or `person:<uuid>`.
#[derive(Debug, Clone, PartialEq, Eq, DeriveValueType)]
#[sea_orm(value_type = "String")]
pub enum Audience {
    Event,
    Role(Role),
    Person(Uuid),
}

impl Audience {
    /// Whether a participant with this id and role receives it. Organisers see role
    /// messages of every role (they run the event), never other people's private ones.
    pub fn reaches(&self, person: Uuid, role: Option<Role>) -> bool {
        match self {
            Audience::Event => true,
            Audience::Role(r) => role == Some(*r) || role == Some(Role::Organiser),
            Audience::Person(p) => *p == person,
        }
    }
}

impl fmt::Display for Audience {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Audience::Event => f.write_str("event"),
            Audience::Role(role) => write!(f, "role:{}", role.as_str()),
            Audience::Person(id) => write!(f, "person:{id}"),
        }
    }
}

impl FromStr for Audience {
    type Err = UnknownStored;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        match raw.split_once(':') {
            None if raw == "event" => Some(Audience::Event),
            Some(("role", role)) => Role::try_from_value(&role.to_string())
                .ok()
                .map(Audience::Role),
            Some(("person", id)) => Uuid::parse_str(id).ok().map(Audience::Person),
            _ => None,
        }
        .ok_or_else(|| UnknownStored::new("live audience", raw))
    }
}

/// The languages an event is held in, the default one first; never empty. Stored
/// comma-separated (`nl,en`).
#[derive(Debug, Clone, PartialEq, Eq, DeriveValueType)]
#[sea_orm(value_type = "String")]
pub struct Languages(Vec<Lang>);

impl Languages {
    /// `None` when there are none.
    pub fn new(languages: Vec<Lang>) -> Option<Self> {
        (!languages.is_empty()).then_some(Languages(languages))
    }

    /// The event's default language: what its mails are written in when a person has none.
    pub fn first(&self) -> Lang {
        self.0[0]
    }

    pub fn to_vec(&self) -> Vec<Lang> {
        self.0.clone()
    }
}

impl fmt::Display for Languages {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let codes: Vec<&str> = self.0.iter().map(|l| l.as_str()).collect();
        f.write_str(&codes.join(","))
    }
}

impl FromStr for Languages {
    type Err = UnknownStored;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        raw.split(',')
            .map(|code| Lang::try_from_value(&code.to_string()).ok())
            .collect::<Option<Vec<_>>>()
            .and_then(Languages::new)
            .ok_or_else(|| UnknownStored::new("list of event languages", raw))
    }
}

/// One recipient of an announcement: a role, or a person by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recipient {
    Role(Role),
    Person(Uuid),
}

impl Serialize for Recipient {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Recipient::Role(role) => role.serialize(s),
            Recipient::Person(id) => id.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Recipient {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        Role::try_from_value(&raw)
            .map(Recipient::Role)
            .or_else(|_| Uuid::parse_str(&raw).map(Recipient::Person))
            .map_err(|_| serde::de::Error::custom(UnknownStored::new("recipient", &raw)))
    }
}

/// Who an announcement went to besides its [`Recipients`] kind: the roles or the people
/// chosen (none for everyone). Stored as a JSON array of role names or person ids.
#[derive(Debug, Clone, Default, PartialEq, Eq, DeriveValueType)]
#[sea_orm(value_type = "String")]
pub struct RecipientList(pub Vec<Recipient>);

impl RecipientList {
    /// The roles, or `None` when the list names anything else.
    pub fn roles(&self) -> Option<Vec<Role>> {
        self.0
            .iter()
            .map(|r| match r {
                Recipient::Role(role) => Some(*role),
                Recipient::Person(_) => None,
            })
            .collect()
    }

    /// The people, or `None` when the list names anything else.
    pub fn people(&self) -> Option<Vec<Uuid>> {
        self.0
            .iter()
            .map(|r| match r {
                Recipient::Person(id) => Some(*id),
                Recipient::Role(_) => None,
            })
            .collect()
    }

    pub fn contains(&self, recipient: Recipient) -> bool {
        self.0.contains(&recipient)
    }
}

impl fmt::Display for RecipientList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let json = serde_json::to_string(&self.0).map_err(|_| fmt::Error)?;
        f.write_str(&json)
    }
}

impl FromStr for RecipientList {
    type Err = UnknownStored;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        UnknownStored::json("list of recipients", raw).map(RecipientList)
    }
}

/// A JSON array of strings kept in a text column (a buyer's product group and strategy
/// codes, the fields a factsheet version changed). Text that is no such array fails the
/// read instead of becoming an empty list.
#[derive(Debug, Clone, Default, PartialEq, Eq, DeriveValueType)]
#[sea_orm(value_type = "String")]
pub struct StringList(pub Vec<String>);

impl fmt::Display for StringList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let json = serde_json::to_string(&self.0).map_err(|_| fmt::Error)?;
        f.write_str(&json)
    }
}

impl FromStr for StringList {
    type Err = UnknownStored;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        UnknownStored::json("list of strings", raw).map(StringList)
    }
}

/// A JSON document kept in a text column (a live message's payload). Text that is not
/// JSON fails the read instead of becoming `null`.
#[derive(Debug, Clone, PartialEq, Eq, DeriveValueType)]
#[sea_orm(value_type = "String")]
pub struct JsonText(pub serde_json::Value);

impl fmt::Display for JsonText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl FromStr for JsonText {
    type Err = UnknownStored;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        UnknownStored::json("JSON document", raw).map(JsonText)
    }
}

impl Lang {
    pub fn parse(code: &str) -> Option<Self> {
        match code.trim().to_ascii_lowercase().as_str() {
            "nl" | "nl-be" | "nl-nl" | "dutch" | "nederlands" => Some(Lang::Nl),
            "en" | "en-gb" | "en-us" | "english" | "engels" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        self.as_str()
    }

    pub fn pick(self, nl: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Nl => nl,
            Lang::En => en,
        }
    }

    /// A list in a sentence: `a`, `a and b`, `a, b and c` (Dutch: `en`).
    pub fn enumerate(self, items: &[String]) -> String {
        let and = self.pick("en", "and");
        match items {
            [] => String::new(),
            [one] => one.clone(),
            [rest @ .., last] => format!("{} {and} {last}", rest.join(", ")),
        }
    }
}

/// An IANA time zone name (an event's zone: display, emails, calendar files).
pub fn parse_timezone(raw: &str) -> Result<chrono_tz::Tz, FieldError> {
    raw.trim().parse::<chrono_tz::Tz>().map_err(|_| {
        FieldError::new(
            "timezone",
            "invalid_timezone",
            "not an IANA time zone such as Europe/Brussels",
        )
    })
}

/// An instant typed as RFC 3339 (`2027-03-01T09:00:00+01:00`); blank is `None`.
pub fn instant_field(
    raw: &str,
    field: &str,
) -> Result<Option<chrono::DateTime<chrono::Utc>>, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    chrono::DateTime::parse_from_rfc3339(raw)
        .map(|t| Some(t.with_timezone(&chrono::Utc)))
        .map_err(|_| {
            FieldError::new(
                field,
                "invalid_datetime",
                "expected a date and time as RFC 3339, e.g. 2027-03-01T09:00:00+01:00",
            )
        })
}

/// Whether a free-text field may run over several lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    /// Names, titles, codes, numbers: one line, no tabs. Such values end up in mail
    /// headers, CSV exports and tab-separated search listings, where a line break or a tab
    /// would split or forge a field.
    One,
    /// Descriptions, pitches, comments: line breaks and tabs are kept.
    Many,
}

/// Whether `c` may not appear in a text of this kind: control characters always (NUL, which
/// PostgreSQL cannot store, escape, DEL, the C1 range ...), line breaks and tabs and the
/// Unicode line and paragraph separators in single-line fields.
fn forbidden(c: char, lines: Lines) -> bool {
    match c {
        '\n' | '\r' | '\t' => lines == Lines::One,
        '\u{2028}' | '\u{2029}' => lines == Lines::One,
        c => c.is_control(),
    }
}

/// The one check every free-text input passes (already trimmed): no characters that do
/// not belong in its kind of field, and at most `max` characters. Problems are added to
/// `errors` under `field`.
pub fn check_text(text: &str, field: &str, max: usize, lines: Lines, errors: &mut Vec<FieldError>) {
    if text.chars().any(|c| forbidden(c, lines)) {
        errors.push(FieldError::new(
            field,
            "control_character",
            match lines {
                Lines::One => "line breaks, tabs and other control characters are not allowed here",
                Lines::Many => {
                    "control characters (other than line breaks and tabs) are not allowed"
                }
            },
        ));
    }
    if text.chars().count() > max {
        errors.push(FieldError::new(
            field,
            "too_long",
            format!("at most {max} characters"),
        ));
    }
}

/// Trims a single-line input and checks it; empty becomes `None`.
pub fn optional_text(
    raw: Option<&str>,
    field: &str,
    max: usize,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let text = raw.map(str::trim).filter(|s| !s.is_empty())?;
    check_text(text, field, max, Lines::One, errors);
    Some(text.to_string())
}

/// Trims a multi-line input (a description, a comment) and checks it; empty becomes `None`.
pub fn optional_multiline_text(
    raw: Option<&str>,
    field: &str,
    max: usize,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let text = raw.map(str::trim).filter(|s| !s.is_empty())?;
    check_text(text, field, max, Lines::Many, errors);
    Some(text.to_string())
}

/// A required single-line input.
pub fn required_text(raw: &str, field: &str, max: usize, errors: &mut Vec<FieldError>) -> String {
    let text = raw.trim();
    if text.is_empty() {
        errors.push(FieldError::new(field, "required", "this field is required"));
    } else {
        check_text(text, field, max, Lines::One, errors);
    }
    text.to_string()
}

#[cfg(test)]
mod tests {
    use sea_orm::ActiveEnum;

    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse("  Ann.Peeters@Example.BE ").unwrap().as_str(),
            "ann.peeters@example.be"
        );
        for bad in [
            "",
            "ann",
            "ann@",
            "@x.be",
            "ann@x",
            "a b@x.be",
            "ann@x..be",
            "a@b@c.be",
            "<a@b.be>",
            "a\0b@x.be",
            "ann\u{1b}[31m@x.be",
            ".ann@x.be",
            "ann.@x.be",
            "an..n@x.be",
            "ann@-x.be",
            "[ann]@x.be",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    /// Each stored spelling reads back as its value, in the database and in JSON; anything
    /// else is an error that names the value.
    fn stored_spellings_round_trip<T>()
    where
        T: sea_orm::ActiveEnum<Value = String>
            + sea_orm::Iterable
            + Serialize
            + serde::de::DeserializeOwned
            + PartialEq
            + std::fmt::Debug,
    {
        for value in T::iter() {
            let stored = value.to_value();
            assert_eq!(T::try_from_value(&stored).unwrap(), value);
            assert_eq!(serde_json::to_value(&value).unwrap(), stored.as_str());
        }
        let err = T::try_from_value(&"no-such-value".to_string()).unwrap_err();
        assert!(err.to_string().contains("no-such-value"), "{err}");
    }

    #[test]
    fn stored_values_map_one_way_and_refuse_unknown_ones() {
        stored_spellings_round_trip::<Role>();
        stored_spellings_round_trip::<Status>();
        stored_spellings_round_trip::<Lang>();
        stored_spellings_round_trip::<FactsheetStatus>();
        stored_spellings_round_trip::<FactsheetAction>();
        stored_spellings_round_trip::<TermKind>();
        stored_spellings_round_trip::<SlotKind>();
        stored_spellings_round_trip::<UploadPurpose>();
        stored_spellings_round_trip::<LinkPurpose>();
        stored_spellings_round_trip::<MailStatus>();
        stored_spellings_round_trip::<Recipients>();
        stored_spellings_round_trip::<SessionKind>();
        stored_spellings_round_trip::<SignupStatus>();
        stored_spellings_round_trip::<SignupAction>();
        stored_spellings_round_trip::<GrantKind>();
        stored_spellings_round_trip::<RequestStatus>();
        stored_spellings_round_trip::<Appointment>();
        stored_spellings_round_trip::<LiveKind>();
        stored_spellings_round_trip::<MeetingPriority>();
        stored_spellings_round_trip::<MeetingRequestStatus>();
        stored_spellings_round_trip::<UnansweredRule>();
        stored_spellings_round_trip::<EmailTiming>();
        assert_eq!(Role::Buyer.as_str(), Role::Buyer.to_value());
        assert_eq!(TermKind::ProductGroup.as_str(), "product_group");
    }

    /// The stored text reads back as the value it was written from; unknown text is an
    /// error that names what is unknown in it.
    fn stored_text_round_trips<T>(values: &[T], unknown: &[(&str, &str)])
    where
        T: FromStr + fmt::Display + PartialEq + fmt::Debug,
        T::Err: fmt::Display,
    {
        for value in values {
            assert_eq!(value.to_string().parse::<T>().ok().as_ref(), Some(value));
        }
        for (raw, named) in unknown {
            let err = raw.parse::<T>().err().map(|e| e.to_string());
            assert!(
                err.as_ref().is_some_and(|e| e.contains(named)),
                "{raw}: {err:?}"
            );
        }
    }

    #[test]
    fn stored_texts_map_one_way_and_refuse_unknown_ones() {
        let person = Uuid::now_v7();
        let itself = |raw: &'static str| (raw, raw);
        stored_text_round_trips(
            &[
                Audience::Event,
                Audience::Role(Role::Buyer),
                Audience::Person(person),
            ],
            &[
                "everyone",
                "role:chef",
                "person:42",
                "table:7",
                "event:x",
                "",
            ]
            .map(itself),
        );
        assert_eq!(Audience::Role(Role::Buyer).to_string(), "role:buyer");

        let both = Languages::new(vec![Lang::En, Lang::Nl]).unwrap();
        stored_text_round_trips(
            std::slice::from_ref(&both),
            &["nl,fr", "nl, en", "", "nl,"].map(itself),
        );
        assert_eq!(both.to_string(), "en,nl");
        assert_eq!(both.first(), Lang::En);
        assert_eq!(Languages::new(Vec::new()), None);

        let chosen = RecipientList(vec![
            Recipient::Role(Role::Buyer),
            Recipient::Person(person),
        ]);
        stored_text_round_trips(
            &[chosen.clone(), RecipientList::default()],
            &[
                (r#"["chef"]"#, "chef"),
                (r#"["buyer","not-a-person"]"#, "not-a-person"),
            ],
        );
        assert_eq!(chosen.to_string(), format!(r#"["buyer","{person}"]"#));
        assert_eq!(chosen.roles(), None, "a person is no role");
        assert_eq!(chosen.people(), None, "a role is no person");
        assert_eq!(
            RecipientList(vec![Recipient::Role(Role::Supplier)]).roles(),
            Some(vec![Role::Supplier])
        );
        assert!("[1]".parse::<RecipientList>().is_err());
        assert!("not json".parse::<RecipientList>().is_err());

        stored_text_round_trips(
            &[
                StringList(vec!["furniture".into(), "A1".into()]),
                StringList::default(),
            ],
            &[],
        );
        for bad in ["", "furniture", r#"["A1", 2]"#, "{}"] {
            assert!(bad.parse::<StringList>().is_err(), "{bad}");
        }
        stored_text_round_trips(&[JsonText(serde_json::json!({"a": [1, "b"]}))], &[]);
        assert!("{\"a\":".parse::<JsonText>().is_err());
    }

    #[test]
    fn single_line_fields_refuse_line_breaks_tabs_and_control_characters() {
        let codes = |raw: &str| {
            let mut errors = Vec::new();
            required_text(raw, "name", 20, &mut errors);
            errors.into_iter().map(|e| e.code).collect::<Vec<_>>()
        };
        assert!(codes("Ann Peeters").is_empty());
        assert!(codes("  Zoë O'Brien-Łukasz ").is_empty());
        for bad in [
            "Ann\r\nBcc: x@y.z",
            "Ann\nPeeters",
            "A1\tproduct_groups",
            "nul\0byte",
            "esc\u{1b}[31m",
            "del\u{7f}",
            "c1\u{85}next",
            "line\u{2028}sep",
        ] {
            assert_eq!(codes(bad), ["control_character"], "{bad:?}");
        }
        let mut errors = Vec::new();
        assert_eq!(optional_text(Some(" \n "), "x", 5, &mut errors), None);
        assert!(errors.is_empty(), "blank around is trimmed, not refused");
    }

    #[test]
    fn multi_line_fields_keep_line_breaks_and_tabs_only() {
        let mut errors = Vec::new();
        let text = optional_multiline_text(Some("one\r\ntwo\n\tthree"), "d", 100, &mut errors);
        assert_eq!(text.as_deref(), Some("one\r\ntwo\n\tthree"));
        assert!(errors.is_empty());
        optional_multiline_text(Some("nul\0"), "d", 100, &mut errors);
        optional_multiline_text(Some("bell\u{7}"), "d", 100, &mut errors);
        assert_eq!(errors.len(), 2);
        assert!(errors.iter().all(|e| e.code == "control_character"));
    }

    #[test]
    fn roles_in_dutch_and_english() {
        assert_eq!(Role::parse("Aanbieder"), Some(Role::Supplier));
        assert_eq!(Role::parse("buyer"), Some(Role::Buyer));
        assert_eq!(Role::parse("koper"), Some(Role::Buyer));
        assert_eq!(Role::parse("chef"), None);
    }
}
