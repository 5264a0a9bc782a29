//! The emails matchfloor sends, in Dutch and English, each as HTML with a plain-text part.

use crate::domain::{Lang, MeetingNoticeKind, MeetingPriority, Role, UnansweredRule};
use crate::mail::Outgoing;

/// What an email says, before it is laid out.
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
}

/// One meeting of a person's day in a schedule email.
#[derive(Debug, Clone, Copy)]
pub struct ScheduleLine<'a> {
    /// Day and local times, e.g. `2027-03-11, 13:00–13:20`.
    pub when: &'a str,
    /// The table's number (and label), or `None` at the supplier's own stand.
    pub table: Option<&'a str>,
    pub partner: Counterpart<'a>,
    pub change: LineChange,
}

/// How a meeting of the day changed with this schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineChange {
    Unchanged,
    New,
    Moved,
    Cancelled,
}

/// What an organiser did to a scheduled meeting, as its mail tells it.
#[derive(Debug, Clone, Copy)]
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
#[derive(Debug, Clone, Copy)]
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

/// The other side of a meeting request, as an email names them.
#[derive(Debug, Clone, Copy)]
pub struct Counterpart<'a> {
    pub name: &'a str,
    pub organisation: Option<&'a str>,
    pub role: Role,
}

/// Why someone got a seat in a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// "Ann Peeters (ReMeubel, supplier)".
fn counterpart(lang: Lang, who: Counterpart<'_>) -> String {
    match who.organisation {
        Some(org) => format!("{} ({org}, {})", who.name, role_name(lang, who.role)),
        None => format!("{} ({})", who.name, role_name(lang, who.role)),
    }
}

pub fn render(mail: Mail<'_>, lang: Lang, to_email: &str, to_name: &str) -> Outgoing {
    let greeting = if to_name.trim().is_empty() {
        lang.pick("Hallo,", "Hello,").to_string()
    } else {
        format!("{} {},", lang.pick("Beste", "Dear"), to_name.trim())
    };
    // A review decision answers something the person did; the other mails may reach
    // someone who never asked for them.
    let unasked = !matches!(
        mail,
        Mail::FactsheetReviewed { .. }
            | Mail::SessionSeat { .. }
            | Mail::SessionRemoved { .. }
            | Mail::MeetingRequestReceived { .. }
            | Mail::MeetingRequestAnswered { .. }
            | Mail::MeetingWithdrawn { .. }
            | Mail::MeetingReminder { .. }
            | Mail::MeetingLapsed { .. }
            | Mail::MeetingOff { .. }
            | Mail::MeetingEdited { .. }
            | Mail::MeetingDigest { .. }
            | Mail::MeetingSchedule { .. }
    );
    let (subject, paragraphs, button, link, note): (String, Vec<String>, &str, &str, String) = match mail {
        Mail::LoginLink { link, minutes } => (
            lang.pick("Je aanmeldlink voor matchfloor", "Your matchfloor login link").into(),
            vec![lang
                .pick(
                    "Klik op de knop hieronder en bevestig om je aan te melden. Je hebt geen wachtwoord nodig.",
                    "Click the button below and confirm to log in. You do not need a password.",
                )
                .into()],
            lang.pick("Aanmelden", "Log in"),
            link,
            expiry_note(lang, minutes),
        ),
        Mail::Invitation { event, role, link, hours } => (
            format!("{} {event}", lang.pick("Uitnodiging:", "Invitation:")),
            vec![
                match lang {
                    Lang::Nl => format!("Je bent uitgenodigd voor {event} als {}.", role_name(lang, role)),
                    Lang::En => format!("You are invited to {event} as {}.", role_name(lang, role)),
                },
                lang.pick(
                    "Via de knop hieronder meld je je aan, vul je je gegevens aan en volg je het programma. Een wachtwoord heb je niet nodig.",
                    "Use the button below to log in, complete your details and follow the programme. You do not need a password.",
                )
                .into(),
            ],
            lang.pick("Uitnodiging openen", "Open the invitation"),
            link,
            expiry_note(lang, hours * 60),
        ),
        Mail::Registered { event, role, needs_approval, link, minutes } => (
            format!("{} {event}", lang.pick("Inschrijving ontvangen:", "Registration received:")),
            vec![
                match lang {
                    Lang::Nl => format!("Bedankt voor je inschrijving voor {event} als {}.", role_name(lang, role)),
                    Lang::En => format!("Thank you for registering for {event} as {}.", role_name(lang, role)),
                },
                if needs_approval {
                    lang.pick(
                        "De organisatoren bekijken je inschrijving. Je krijgt bericht zodra ze is goedgekeurd.",
                        "The organisers will review your registration. You will hear from us as soon as it is approved.",
                    )
                } else {
                    lang.pick("Je inschrijving is bevestigd.", "Your registration is confirmed.")
                }
                .into(),
            ],
            lang.pick("Naar mijn inschrijving", "Go to my registration"),
            link,
            expiry_note(lang, minutes),
        ),
        Mail::AlreadyRegistered { event, link, minutes } => (
            format!("{} {event}", lang.pick("Je bent al ingeschreven:", "You are already registered:")),
            vec![match lang {
                Lang::Nl => format!("Iemand vroeg een inschrijving voor {event} aan met dit adres, maar je bent al ingeschreven. Je hoeft niets te doen."),
                Lang::En => format!("Someone asked to register this address for {event}, but you are already registered. There is nothing you need to do."),
            }],
            lang.pick("Naar mijn inschrijving", "Go to my registration"),
            link,
            expiry_note(lang, minutes),
        ),
        Mail::Approved { event, role, link, minutes } => (
            format!("{} {event}", lang.pick("Inschrijving goedgekeurd:", "Registration approved:")),
            vec![match lang {
                Lang::Nl => format!("Goed nieuws: je inschrijving voor {event} als {} is goedgekeurd. Je kunt je nu aanmelden en het programma volgen.", role_name(lang, role)),
                Lang::En => format!("Good news: your registration for {event} as {} has been approved. You can now log in and follow the programme.", role_name(lang, role)),
            }],
            lang.pick("Naar het evenement", "Go to the event"),
            link,
            expiry_note(lang, minutes),
        ),
        Mail::JoinRequest { organisation, requester, requester_email, link, minutes } => (
            match lang {
                Lang::Nl => format!("{requester} vraagt om bij {organisation} te horen"),
                Lang::En => format!("{requester} asks to join {organisation}"),
            },
            vec![
                match lang {
                    Lang::Nl => format!("{requester} ({requester_email}) gaf {organisation} op als organisatie en wacht tot een lid of een organisator toelaat. Leden zien en bewerken samen de factsheets en bestanden van {organisation}."),
                    Lang::En => format!("{requester} ({requester_email}) named {organisation} as their organisation and waits until a member or an organiser lets them in. Members see and edit the factsheets and files of {organisation} together."),
                },
                lang.pick(
                    "Laat toe of weiger op je profielpagina. Ken je deze persoon niet, weiger dan.",
                    "Let them in or decline on your profile page. If you do not know this person, decline.",
                )
                .into(),
            ],
            lang.pick("Naar mijn profiel", "Open my profile"),
            link,
            expiry_note(lang, minutes),
        ),
        Mail::FactsheetReviewed { event, title, approved, comment, link, minutes } => {
            let mut paragraphs = vec![match (lang, approved) {
                (Lang::Nl, true) => format!("Je factsheet \"{title}\" voor {event} is goedgekeurd en staat nu in de catalogus."),
                (Lang::En, true) => format!("Your factsheet \"{title}\" for {event} has been approved and is now in the catalogue."),
                (Lang::Nl, false) => format!("De organisatoren van {event} vragen je om je factsheet \"{title}\" aan te passen voor ze hem publiceren."),
                (Lang::En, false) => format!("The organisers of {event} ask you to change your factsheet \"{title}\" before they publish it."),
            }];
            if !comment.is_empty() {
                paragraphs.push(format!("{} {comment}", lang.pick("Hun opmerking:", "Their comment:")));
            }
            (
                format!(
                    "{} {title}",
                    if approved {
                        lang.pick("Factsheet gepubliceerd:", "Factsheet published:")
                    } else {
                        lang.pick("Factsheet terug naar jou:", "Factsheet sent back:")
                    }
                ),
                paragraphs,
                lang.pick("Factsheet openen", "Open the factsheet"),
                link,
                expiry_note(lang, minutes),
            )
        }
        Mail::SessionSeat { event, session, when, room, reason, link, minutes } => {
            let mut paragraphs = vec![match (lang, reason) {
                (Lang::Nl, SeatReason::FromWaitlist) => format!("Er kwam een plaats vrij in \"{session}\" op {event}, en jij stond als eerste op de wachtlijst. Je plaats is bevestigd."),
                (Lang::En, SeatReason::FromWaitlist) => format!("A seat came free in \"{session}\" at {event}, and you were first on the waitlist. Your seat is confirmed."),
                (Lang::Nl, SeatReason::ByOrganiser) => format!("De organisatoren van {event} gaven je een plaats in \"{session}\"."),
                (Lang::En, SeatReason::ByOrganiser) => format!("The organisers of {event} gave you a seat in \"{session}\"."),
            }];
            paragraphs.push(match (lang, room) {
                (Lang::Nl, Some(room)) => format!("Wanneer: {when}, in {room}."),
                (Lang::En, Some(room)) => format!("When: {when}, in {room}."),
                (Lang::Nl, None) => format!("Wanneer: {when}."),
                (Lang::En, None) => format!("When: {when}."),
            });
            paragraphs.push(
                lang.pick(
                    "Kun je toch niet? Zeg je plaats dan af in je agenda, zodat de volgende op de wachtlijst ze krijgt.",
                    "Cannot make it after all? Cancel your seat in your agenda, so the next person on the waitlist gets it.",
                )
                .into(),
            );
            (
                format!("{} {session}", lang.pick("Je hebt een plaats:", "You have a seat:")),
                paragraphs,
                lang.pick("Naar mijn agenda", "Open my agenda"),
                link,
                expiry_note(lang, minutes),
            )
        }
        Mail::SessionRemoved { event, session, when, link, minutes } => (
            format!("{} {session}", lang.pick("Niet meer ingeschreven:", "No longer signed up:")),
            vec![
                match lang {
                    Lang::Nl => format!("De organisatoren van {event} haalden je van de sessie \"{session}\" ({when}). Je hebt daar geen plaats meer en staat er ook niet op de wachtlijst."),
                    Lang::En => format!("The organisers of {event} took you off the session \"{session}\" ({when}). You no longer have a seat there and are not on its waitlist."),
                },
                lang.pick(
                    "Vragen hierover? Neem contact op met de organisatoren.",
                    "Questions about this? Contact the organisers.",
                )
                .into(),
            ],
            lang.pick("Naar het programma", "Open the programme"),
            link,
            expiry_note(lang, minutes),
        ),
        Mail::MeetingRequestReceived { event, from, priority, message, accepted, link, minutes } => {
            let who = counterpart(lang, from);
            let mut paragraphs = vec![match (lang, accepted) {
                (Lang::Nl, false) => format!("{who} vraagt een één-op-één gesprek met je aan op {event}."),
                (Lang::En, false) => format!("{who} asks you for a one-to-one meeting at {event}."),
                (Lang::Nl, true) => format!("{who} vraagt een één-op-één gesprek met je aan op {event}. Op dit evenement gelden verzoeken meteen als aanvaard: het gesprek staat op je lijst."),
                (Lang::En, true) => format!("{who} asks you for a one-to-one meeting at {event}. At this event requests count as accepted at once: the meeting is on your list."),
            }];
            paragraphs.push(format!(
                "{} {}.",
                lang.pick("Prioriteit:", "Priority:"),
                priority_name(lang, priority)
            ));
            if let Some(message) = message {
                paragraphs.push(format!("{} {message}", lang.pick("Hun bericht:", "Their message:")));
            }
            if !accepted {
                paragraphs.push(
                    lang.pick(
                        "Aanvaard of weiger het verzoek bij je gespreksverzoeken. Een verzoek houdt nog geen tijdslot vast: de planning verdeelt de tijdsloten later.",
                        "Accept or decline it among your meeting requests. A request holds no time slot yet: the schedule gives out the slots later.",
                    )
                    .into(),
                );
            }
            (
                match lang {
                    Lang::Nl => format!("Gespreksverzoek van {}", from.name),
                    Lang::En => format!("Meeting request from {}", from.name),
                },
                paragraphs,
                lang.pick("Naar mijn gespreksverzoeken", "Open my meeting requests"),
                link,
                expiry_note(lang, minutes),
            )
        }
        Mail::MeetingRequestAnswered { event, by, accepted, reason, link, minutes } => {
            let who = counterpart(lang, by);
            let mut paragraphs = vec![match (lang, accepted) {
                (Lang::Nl, true) => format!("{who} aanvaardde je gespreksverzoek op {event}. De planning geeft jullie gesprek een tijdslot en een tafel."),
                (Lang::En, true) => format!("{who} accepted your meeting request at {event}. The schedule will give your meeting a time slot and a table."),
                (Lang::Nl, false) => format!("{who} gaat niet in op je gespreksverzoek op {event}."),
                (Lang::En, false) => format!("{who} declined your meeting request at {event}."),
            }];
            if let Some(reason) = reason {
                paragraphs.push(format!("{} {reason}", lang.pick("Hun reden:", "Their reason:")));
            }
            (
                match (lang, accepted) {
                    (Lang::Nl, true) => format!("{} aanvaardde je gespreksverzoek", by.name),
                    (Lang::En, true) => format!("{} accepted your meeting request", by.name),
                    (Lang::Nl, false) => format!("{} weigerde je gespreksverzoek", by.name),
                    (Lang::En, false) => format!("{} declined your meeting request", by.name),
                },
                paragraphs,
                lang.pick("Naar mijn gespreksverzoeken", "Open my meeting requests"),
                link,
                expiry_note(lang, minutes),
            )
        }
        Mail::MeetingWithdrawn { event, by, link, minutes } => (
            match lang {
                Lang::Nl => format!("{} trok het gespreksverzoek in", by.name),
                Lang::En => format!("{} withdrew their meeting request", by.name),
            },
            vec![match lang {
                Lang::Nl => format!("{} trok het gespreksverzoek in dat je had aanvaard op {event}. Dat gesprek gaat niet door.", counterpart(lang, by)),
                Lang::En => format!("{} withdrew the meeting request you had accepted at {event}. That meeting will not take place.", counterpart(lang, by)),
            }],
            lang.pick("Naar mijn gespreksverzoeken", "Open my meeting requests"),
            link,
            expiry_note(lang, minutes),
        ),
        Mail::MeetingReminder { event, from, priority, message, waited_hours, then, hours, link, minutes } => {
            let who = counterpart(lang, from);
            let waited = span(lang, waited_hours * 60);
            let mut paragraphs = vec![match lang {
                Lang::Nl => format!("{who} vroeg je {waited} geleden om een één-op-één gesprek op {event} en wacht nog op je antwoord."),
                Lang::En => format!("{who} asked you for a one-to-one meeting at {event} {waited} ago and is still waiting for your answer."),
            }];
            paragraphs.push(format!(
                "{} {}.",
                lang.pick("Prioriteit:", "Priority:"),
                priority_name(lang, priority)
            ));
            if let Some(message) = message {
                paragraphs.push(format!("{} {message}", lang.pick("Hun bericht:", "Their message:")));
            }
            let within = span(lang, hours * 60);
            paragraphs.push(match (lang, then) {
                (Lang::Nl, UnansweredRule::Expire) => format!("Aanvaard of weiger het bij je gespreksverzoeken. Antwoord je niet binnen {within}, dan vervalt het verzoek."),
                (Lang::En, UnansweredRule::Expire) => format!("Accept or decline it among your meeting requests. If you do not answer within {within}, the request lapses."),
                (Lang::Nl, UnansweredRule::Accept) => format!("Aanvaard of weiger het bij je gespreksverzoeken. Antwoord je niet binnen {within}, dan geldt het als aanvaard en komt het gesprek in de planning."),
                (Lang::En, UnansweredRule::Accept) => format!("Accept or decline it among your meeting requests. If you do not answer within {within}, it counts as accepted and the meeting goes into the schedule."),
            });
            (
                match lang {
                    Lang::Nl => format!("Herinnering: gespreksverzoek van {}", from.name),
                    Lang::En => format!("Reminder: meeting request from {}", from.name),
                },
                paragraphs,
                lang.pick("Naar mijn gespreksverzoeken", "Open my meeting requests"),
                link,
                expiry_note(lang, minutes),
            )
        }
        Mail::MeetingLapsed { event, other, sent, accepted, link, minutes } => {
            let who = counterpart(lang, other);
            let name = other.name;
            let (subject, paragraph) = match (lang, sent, accepted) {
                (Lang::Nl, true, false) => (
                    format!("Je gespreksverzoek aan {name} is vervallen"),
                    format!("{who} antwoordde niet op tijd op je gespreksverzoek op {event}; het is vervallen. Je kunt het opnieuw vragen zolang verzoeken open staan."),
                ),
                (Lang::En, true, false) => (
                    format!("Your meeting request to {name} expired"),
                    format!("{who} did not answer your meeting request at {event} in time, so it lapsed. You may ask again while requests are open."),
                ),
                (Lang::Nl, false, false) => (
                    format!("Het gespreksverzoek van {name} is vervallen"),
                    format!("Je antwoordde niet op tijd op het gespreksverzoek van {who} op {event}; het is vervallen."),
                ),
                (Lang::En, false, false) => (
                    format!("The meeting request from {name} expired"),
                    format!("You did not answer the meeting request of {who} at {event} in time, so it lapsed."),
                ),
                (Lang::Nl, true, true) => (
                    format!("Je gespreksverzoek aan {name} geldt als aanvaard"),
                    format!("{who} antwoordde niet op tijd op je gespreksverzoek op {event}. Zoals de organisatoren besloten, geldt het als aanvaard, met jouw prioriteit: de planning geeft jullie gesprek een tijdslot en een tafel."),
                ),
                (Lang::En, true, true) => (
                    format!("Your meeting request to {name} counts as accepted"),
                    format!("{who} did not answer your meeting request at {event} in time. As the organisers decided, it counts as accepted, at your priority: the schedule will give your meeting a time slot and a table."),
                ),
                (Lang::Nl, false, true) => (
                    format!("Het gespreksverzoek van {name} geldt als aanvaard"),
                    format!("Je antwoordde niet op tijd op het gespreksverzoek van {who} op {event}. Zoals de organisatoren besloten, geldt het als aanvaard: het gesprek staat op je lijst en de planning geeft het een tijdslot."),
                ),
                (Lang::En, false, true) => (
                    format!("The meeting request from {name} counts as accepted"),
                    format!("You did not answer the meeting request of {who} at {event} in time. As the organisers decided, it counts as accepted: the meeting is on your list and the schedule will give it a time slot."),
                ),
            };
            (
                subject,
                vec![paragraph],
                lang.pick("Naar mijn gespreksverzoeken", "Open my meeting requests"),
                link,
                expiry_note(lang, minutes),
            )
        }
        Mail::MeetingOff { event, other, sent, was_meeting, link, minutes } => {
            let who = counterpart(lang, other);
            (
                match lang {
                    Lang::Nl => format!("{} neemt niet meer deel aan {event}", other.name),
                    Lang::En => format!("{} no longer takes part in {event}", other.name),
                },
                vec![match (lang, was_meeting, sent) {
                    (Lang::Nl, true, _) => format!("{who} neemt niet meer deel aan {event}; jullie gesprek gaat niet door."),
                    (Lang::En, true, _) => format!("{who} no longer takes part in {event}, so your meeting with them will not take place."),
                    (Lang::Nl, false, true) => format!("{who} neemt niet meer deel aan {event}; je gespreksverzoek aan hen is vervallen."),
                    (Lang::En, false, true) => format!("{who} no longer takes part in {event}, so your meeting request to them lapsed."),
                    (Lang::Nl, false, false) => format!("{who} neemt niet meer deel aan {event}; hun gespreksverzoek aan jou is ingetrokken."),
                    (Lang::En, false, false) => format!("{who} no longer takes part in {event}, so their meeting request to you was withdrawn."),
                }],
                lang.pick("Naar mijn gespreksverzoeken", "Open my meeting requests"),
                link,
                expiry_note(lang, minutes),
            )
        }
        Mail::MeetingEdited { event, change, with, when, table, link, minutes } => {
            let who = counterpart(lang, with);
            let place = |when: &str, table: Option<&str>| match (lang, table) {
                (Lang::Nl, Some(t)) => format!("{when}, tafel {t}"),
                (Lang::En, Some(t)) => format!("{when}, table {t}"),
                (Lang::Nl, None) => format!("{when}, op de stand van de aanbieder"),
                (Lang::En, None) => format!("{when}, at the supplier's stand"),
            };
            let here = place(when, table);
            let (subject, mut paragraphs) = match (lang, change) {
                (Lang::Nl, MeetingEdit::Added) => (
                    format!("Nieuw gesprek met {} op {event}", with.name),
                    vec![format!("De organisatoren plannen een één-op-één gesprek voor je met {who} op {event}: {here}.")],
                ),
                (Lang::En, MeetingEdit::Added) => (
                    format!("New meeting with {} at {event}", with.name),
                    vec![format!("The organisers scheduled a one-to-one meeting for you with {who} at {event}: {here}.")],
                ),
                (Lang::Nl, MeetingEdit::Moved { from_when, from_table }) => (
                    format!("Je gesprek met {} is verplaatst", with.name),
                    vec![format!("De organisatoren verplaatsten je gesprek met {who} op {event} van {} naar {here}.", place(from_when, from_table))],
                ),
                (Lang::En, MeetingEdit::Moved { from_when, from_table }) => (
                    format!("Your meeting with {} moved", with.name),
                    vec![format!("The organisers moved your meeting with {who} at {event} from {} to {here}.", place(from_when, from_table))],
                ),
                (Lang::Nl, MeetingEdit::Cancelled) => (
                    format!("Je gesprek met {} gaat niet door", with.name),
                    vec![format!("De organisatoren schrapten je gesprek met {who} op {event} ({here}). Jullie verzoek blijft aanvaard: een volgende planning kan het opnieuw een plaats geven.")],
                ),
                (Lang::En, MeetingEdit::Cancelled) => (
                    format!("Your meeting with {} is cancelled", with.name),
                    vec![format!("The organisers cancelled your meeting with {who} at {event} ({here}). Your request stays accepted: a later schedule may place it again.")],
                ),
            };
            paragraphs.push(
                lang.pick(
                    "Je agenda toont al je gesprekken met hun tijd en tafel.",
                    "Your agenda shows all your meetings with their time and table.",
                )
                .into(),
            );
            (
                subject,
                paragraphs,
                lang.pick("Naar mijn agenda", "Open my agenda"),
                link,
                expiry_note(lang, minutes),
            )
        }
        Mail::MeetingDigest { event, items, every_hours, link, minutes } => {
            let mut paragraphs = vec![match lang {
                Lang::Nl => format!("Dit gebeurde er sinds de vorige e-mail met je gespreksverzoeken op {event}:"),
                Lang::En => format!("This is what happened to your meeting requests at {event} since the last email:"),
            }];
            for (heading, kinds) in digest_sections(lang) {
                let lines: Vec<String> = items
                    .iter()
                    .filter(|item| kinds.contains(&item.kind))
                    .map(|item| format!("• {}", digest_line(lang, item)))
                    .collect();
                if !lines.is_empty() {
                    paragraphs.push(format!("{heading} ({})", lines.len()));
                    paragraphs.extend(lines);
                }
            }
            paragraphs.push(match lang {
                Lang::Nl => format!("Je krijgt deze berichten samen, om de {every_hours} uur. Liever meteen een e-mail? Kies dat bij je gespreksverzoeken."),
                Lang::En => format!("You get these together, every {every_hours} hours. Rather have an email at once? Choose so among your meeting requests."),
            });
            let count = items.len();
            (
                match (lang, count) {
                    (Lang::Nl, 1) => format!("Je gespreksverzoeken op {event}: 1 bericht"),
                    (Lang::Nl, n) => format!("Je gespreksverzoeken op {event}: {n} berichten"),
                    (Lang::En, 1) => format!("Your meeting requests at {event}: 1 update"),
                    (Lang::En, n) => format!("Your meeting requests at {event}: {n} updates"),
                },
                paragraphs,
                lang.pick("Naar mijn gespreksverzoeken", "Open my meeting requests"),
                link,
                expiry_note(lang, minutes),
            )
        }
        Mail::MeetingSchedule { event, meetings, cancelled, link, minutes } => {
            let mut paragraphs = vec![match lang {
                Lang::Nl => format!("De planning van de één-op-één gesprekken op {event} is bekend, en jouw gesprekken zijn gewijzigd."),
                Lang::En => format!("The schedule of the one-to-one meetings at {event} is out, and your meetings changed."),
            }];
            if meetings.is_empty() {
                paragraphs.push(lang.pick("Je hebt geen gesprekken gepland.", "You have no meetings scheduled.").into());
            } else {
                paragraphs.push(format!(
                    "{} ({})",
                    lang.pick("Je gesprekken", "Your meetings"),
                    meetings.len()
                ));
                paragraphs.extend(meetings.iter().map(|line| schedule_line(lang, line)));
            }
            if !cancelled.is_empty() {
                paragraphs.push(format!(
                    "{} ({})",
                    lang.pick("Gaan niet meer door", "No longer taking place"),
                    cancelled.len()
                ));
                paragraphs.extend(cancelled.iter().map(|line| schedule_line(lang, line)));
            }
            (
                match lang {
                    Lang::Nl => format!("Je gesprekken op {event}"),
                    Lang::En => format!("Your meetings at {event}"),
                },
                paragraphs,
                lang.pick("Naar mijn gesprekken", "Open my meetings"),
                link,
                expiry_note(lang, minutes),
            )
        }
    };
    let ignore = if unasked {
        lang.pick(
            "Heb je dit niet zelf aangevraagd? Dan mag je deze e-mail negeren.",
            "Did not ask for this? Then you can ignore this email.",
        )
    } else {
        ""
    };
    let mut text = format!("{greeting}\n\n");
    for p in &paragraphs {
        text.push_str(p);
        text.push_str("\n\n");
    }
    text.push_str(&format!("{button}: {link}\n\n{note}\n\n"));
    if !ignore.is_empty() {
        text.push_str(&format!("{ignore}\n\n"));
    }
    text.push_str("-- \nmatchfloor\n");
    let notes = if ignore.is_empty() {
        escape(&note)
    } else {
        format!("{}<br>{}", escape(&note), escape(ignore))
    };

    let mut html = String::from(
        "<!doctype html><html><body style=\"margin:0;padding:24px;background:#f3f6f4;font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;color:#1d2b24\">\
         <div style=\"max-width:560px;margin:0 auto;background:#fff;border-radius:12px;padding:32px;border:1px solid #dfe7e2\">\
         <p style=\"margin:0 0 24px;font-weight:700;color:#1f7a4d;font-size:18px\">matchfloor</p>",
    );
    html.push_str(&format!("<p>{}</p>", escape(&greeting)));
    for p in &paragraphs {
        html.push_str(&format!("<p style=\"line-height:1.5\">{}</p>", escape(p)));
    }
    html.push_str(&format!(
        "<p style=\"margin:28px 0\"><a href=\"{}\" style=\"background:#1f7a4d;color:#fff;text-decoration:none;padding:12px 22px;border-radius:8px;font-weight:600;display:inline-block\">{}</a></p>\
         <p style=\"font-size:13px;color:#55665c;line-height:1.5\">{}</p>\
         <p style=\"font-size:12px;color:#7a8a80;word-break:break-all\">{}</p></div></body></html>",
        escape(link),
        escape(button),
        notes,
        escape(link)
    ));
    Outgoing {
        to_email: to_email.into(),
        to_name: to_name.into(),
        subject,
        text,
        html,
    }
}

/// One meeting of a schedule email: "• 2027-03-11, 13:00–13:20, table 4: Ann (ReMeubel, supplier) (new)".
fn schedule_line(lang: Lang, line: &ScheduleLine<'_>) -> String {
    let place = match line.table {
        Some(table) => format!("{} {table}", lang.pick("tafel", "table")),
        None => lang.pick("op de stand", "at the stand").to_string(),
    };
    let mark = match line.change {
        LineChange::Unchanged | LineChange::Cancelled => "",
        LineChange::New => lang.pick(" (nieuw)", " (new)"),
        LineChange::Moved => lang.pick(" (verplaatst)", " (moved)"),
    };
    format!(
        "• {}, {place}: {}{mark}",
        line.when,
        counterpart(lang, line.partner)
    )
}

/// The sections of a digest in order, each with the kinds of notice it lists.
fn digest_sections(lang: Lang) -> [(&'static str, &'static [MeetingNoticeKind]); 5] {
    use MeetingNoticeKind as K;
    [
        (
            lang.pick("Nieuwe gespreksverzoeken", "New meeting requests"),
            &[K::Received, K::ReceivedAccepted],
        ),
        (
            lang.pick(
                "Wachten nog op je antwoord",
                "Still waiting for your answer",
            ),
            &[K::Reminder],
        ),
        (
            lang.pick("Aanvaard", "Accepted"),
            &[K::Accepted, K::AutoAccepted],
        ),
        (lang.pick("Geweigerd", "Declined"), &[K::Declined]),
        (
            lang.pick("Andere wijzigingen", "Other changes"),
            &[K::Withdrawn, K::Expired, K::OtherLeft],
        ),
    ]
}

/// One notice of a digest in a sentence.
fn digest_line(lang: Lang, item: &DigestItem<'_>) -> String {
    use MeetingNoticeKind as K;
    let who = counterpart(lang, item.other);
    let priority = priority_name(lang, item.priority);
    let mut line = match (lang, item.kind, item.sent) {
        (Lang::Nl, K::Received, _) => format!("{who} vraagt een gesprek ({priority})."),
        (Lang::En, K::Received, _) => format!("{who} asks you for a meeting ({priority})."),
        (Lang::Nl, K::ReceivedAccepted, _) => format!(
            "{who} vraagt een gesprek ({priority}); op dit evenement geldt het meteen als aanvaard."
        ),
        (Lang::En, K::ReceivedAccepted, _) => format!(
            "{who} asks you for a meeting ({priority}); at this event it counts as accepted at once."
        ),
        (Lang::Nl, K::Reminder, _) => {
            format!("{who} vroeg een gesprek ({priority}) en wacht op je antwoord.")
        }
        (Lang::En, K::Reminder, _) => {
            format!("{who} asked you for a meeting ({priority}) and waits for your answer.")
        }
        (Lang::Nl, K::Accepted, _) => format!("{who} aanvaardde je gespreksverzoek."),
        (Lang::En, K::Accepted, _) => format!("{who} accepted your meeting request."),
        (Lang::Nl, K::AutoAccepted, true) => {
            format!("{who} antwoordde niet op tijd: je verzoek geldt als aanvaard.")
        }
        (Lang::En, K::AutoAccepted, true) => {
            format!("{who} did not answer in time: your request counts as accepted.")
        }
        (Lang::Nl, K::AutoAccepted, false) => {
            format!("Je antwoordde {who} niet op tijd: hun verzoek geldt als aanvaard.")
        }
        (Lang::En, K::AutoAccepted, false) => {
            format!("You did not answer {who} in time: their request counts as accepted.")
        }
        (Lang::Nl, K::Declined, _) => format!("{who} gaat niet in op je gespreksverzoek."),
        (Lang::En, K::Declined, _) => format!("{who} declined your meeting request."),
        (Lang::Nl, K::Withdrawn, _) => {
            format!("{who} trok het gespreksverzoek in dat je had aanvaard.")
        }
        (Lang::En, K::Withdrawn, _) => {
            format!("{who} withdrew the meeting request you had accepted.")
        }
        (Lang::Nl, K::Expired, true) => {
            format!("{who} antwoordde niet op tijd: je verzoek is vervallen.")
        }
        (Lang::En, K::Expired, true) => {
            format!("{who} did not answer in time: your request lapsed.")
        }
        (Lang::Nl, K::Expired, false) => {
            format!("Je antwoordde {who} niet op tijd: hun verzoek is vervallen.")
        }
        (Lang::En, K::Expired, false) => {
            format!("You did not answer {who} in time: their request lapsed.")
        }
        (Lang::Nl, K::OtherLeft, _) => {
            format!("{who} neemt niet meer deel: jullie verzoek of gesprek gaat niet door.")
        }
        (Lang::En, K::OtherLeft, _) => {
            format!("{who} no longer takes part: your request or meeting with them is off.")
        }
    };
    let extra = match item.kind {
        K::Received | K::ReceivedAccepted | K::Reminder => item
            .message
            .map(|m| (lang.pick("Hun bericht:", "Their message:"), m)),
        K::Declined => item
            .reason
            .map(|r| (lang.pick("Hun reden:", "Their reason:"), r)),
        _ => None,
    };
    if let Some((label, text)) = extra {
        line.push_str(&format!(" {label} {text}"));
    }
    line
}

/// A duration in words: days from two days on, hours from two hours on, else minutes.
fn span(lang: Lang, minutes: i64) -> String {
    match (lang, minutes) {
        (Lang::Nl, m) if m >= 2 * 1440 => format!("{} dagen", m / 1440),
        (Lang::En, m) if m >= 2 * 1440 => format!("{} days", m / 1440),
        (Lang::Nl, m) if m >= 120 => format!("{} uur", m / 60),
        (Lang::En, m) if m >= 120 => format!("{} hours", m / 60),
        (Lang::Nl, m) => format!("{m} minuten"),
        (Lang::En, m) => format!("{m} minutes"),
    }
}

fn expiry_note(lang: Lang, minutes: i64) -> String {
    let span = span(lang, minutes);
    match lang {
        Lang::Nl => format!("De link werkt één keer en blijft {span} geldig."),
        Lang::En => format!("The link works once and stays valid for {span}."),
    }
}

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_carry_the_link_and_escape_names() {
        for lang in [Lang::Nl, Lang::En] {
            let mail = render(
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
        let nl = render(
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
        let en = render(
            Mail::LoginLink {
                link: "l",
                minutes: 15,
            },
            Lang::En,
            "a@b.c",
            "",
        );
        assert!(en.text.contains("15 minutes"));
        let en = render(
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
            let mail = render(
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
            let answered = render(
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
            let mail = render(
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
        let stand = render(
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
            let mail = render(
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
            let mail = render(
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
            let mail = render(
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
        let digest = render(
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
        let nl = render(
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
                let mail = render(
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
            let mail = render(
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
}
