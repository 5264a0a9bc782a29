//! Every kind of email with every branch of its text, for the tests: each is rendered in
//! both languages, so a template that fails (a missing variable) or a branch never taken
//! shows.

use crate::domain::{MeetingNoticeKind, MeetingPriority, Role, UnansweredRule};
use crate::mail::templates::{
    AgendaSession, Counterpart, DigestItem, LineChange, Mail, MeetingEdit, ScheduleLine,
    SeatReason, SessionChange, SessionChangeKind,
};

const SARA: Counterpart<'static> = Counterpart {
    name: "Sara <S> & 'co'",
    organisation: Some("ReMeubel \"bv\""),
    role: Role::Supplier,
};
const BOB: Counterpart<'static> = Counterpart {
    name: "Bob",
    organisation: None,
    role: Role::Buyer,
};
const LINK: &str = "https://x.test/login/confirm#token=a&b=<c>";

/// Calls `each` with a label and a mail, for every kind and branch.
pub fn each_mail(each: &mut dyn FnMut(&str, Mail<'_>)) {
    use MeetingNoticeKind as K;
    each(
        "login",
        Mail::LoginLink {
            link: LINK,
            minutes: 15,
        },
    );
    each(
        "login-hours",
        Mail::LoginLink {
            link: LINK,
            minutes: 180,
        },
    );
    for role in [
        Role::Organiser,
        Role::Facilitator,
        Role::Supplier,
        Role::Buyer,
    ] {
        each(
            "invitation",
            Mail::Invitation {
                event: "BmS <2027>",
                role,
                link: LINK,
                hours: 168,
            },
        );
    }
    for needs_approval in [true, false] {
        each(
            "registered",
            Mail::Registered {
                event: "BmS",
                role: Role::Buyer,
                needs_approval,
                link: LINK,
                minutes: 60,
            },
        );
    }
    each(
        "already",
        Mail::AlreadyRegistered {
            event: "BmS",
            link: LINK,
            minutes: 119,
        },
    );
    each(
        "approved",
        Mail::Approved {
            event: "BmS",
            role: Role::Supplier,
            link: LINK,
            minutes: 2880,
        },
    );
    each(
        "join",
        Mail::JoinRequest {
            organisation: "ReMeubel",
            requester: "Ann <A>",
            requester_email: "ann@x.test",
            link: LINK,
            minutes: 60,
        },
    );
    for approved in [true, false] {
        for comment in ["", "Meer <bewijs> graag\nen een logo"] {
            each(
                "factsheet",
                Mail::FactsheetReviewed {
                    event: "BmS",
                    title: "Stoel \"Eco\"",
                    approved,
                    comment,
                    link: LINK,
                    minutes: 60,
                },
            );
        }
    }
    for reason in [SeatReason::FromWaitlist, SeatReason::ByOrganiser] {
        for room in [Some("Zaal <1>"), None] {
            each(
                "seat",
                Mail::SessionSeat {
                    event: "BmS",
                    session: "Meubilair",
                    when: "2027-03-11, 14:00–15:00",
                    room,
                    reason,
                    link: LINK,
                    minutes: 60,
                },
            );
        }
    }
    each(
        "removed",
        Mail::SessionRemoved {
            event: "BmS",
            session: "Meubilair",
            when: "2027-03-11, 14:00–15:00",
            link: LINK,
            minutes: 60,
        },
    );
    for accepted in [true, false] {
        for (from, message) in [(SARA, Some("Stoelen?\nTafels?")), (BOB, None)] {
            for priority in [
                MeetingPriority::Must,
                MeetingPriority::WouldLike,
                MeetingPriority::IfTime,
            ] {
                each(
                    "received",
                    Mail::MeetingRequestReceived {
                        event: "BmS",
                        from,
                        priority,
                        message,
                        accepted,
                        link: LINK,
                        minutes: 60,
                    },
                );
            }
        }
        for (by, reason) in [(SARA, Some("Geen <tijd>")), (BOB, None)] {
            each(
                "answered",
                Mail::MeetingRequestAnswered {
                    event: "BmS",
                    by,
                    accepted,
                    reason,
                    link: LINK,
                    minutes: 60,
                },
            );
        }
    }
    each(
        "withdrawn",
        Mail::MeetingWithdrawn {
            event: "BmS",
            by: SARA,
            link: LINK,
            minutes: 60,
        },
    );
    for then in [UnansweredRule::Expire, UnansweredRule::Accept] {
        for (from, message) in [(SARA, Some("Koffie?")), (BOB, None)] {
            each(
                "reminder",
                Mail::MeetingReminder {
                    event: "BmS",
                    from,
                    priority: MeetingPriority::IfTime,
                    message,
                    waited_hours: 50,
                    then,
                    hours: 1,
                    link: LINK,
                    minutes: 60,
                },
            );
        }
    }
    for sent in [true, false] {
        for accepted in [true, false] {
            each(
                "lapsed",
                Mail::MeetingLapsed {
                    event: "BmS",
                    other: SARA,
                    sent,
                    accepted,
                    link: LINK,
                    minutes: 60,
                },
            );
        }
        for was_meeting in [true, false] {
            each(
                "off",
                Mail::MeetingOff {
                    event: "BmS",
                    other: BOB,
                    sent,
                    was_meeting,
                    link: LINK,
                    minutes: 60,
                },
            );
        }
    }
    let moved = MeetingEdit::Moved {
        from_when: "2027-03-11, 13:00–13:20",
        from_table: Some("1"),
    };
    let moved_from_stand = MeetingEdit::Moved {
        from_when: "2027-03-11, 13:00–13:20",
        from_table: None,
    };
    for change in [
        MeetingEdit::Added,
        moved,
        moved_from_stand,
        MeetingEdit::Cancelled,
    ] {
        for table in [Some("12 (by the <window>)"), None] {
            each(
                "edited",
                Mail::MeetingEdited {
                    event: "BmS",
                    change,
                    with: SARA,
                    when: "2027-03-11, 13:20–13:40",
                    table,
                    link: LINK,
                    minutes: 60,
                },
            );
        }
    }
    let mut items = Vec::new();
    for kind in [
        K::Received,
        K::ReceivedAccepted,
        K::Reminder,
        K::Accepted,
        K::AutoAccepted,
        K::Declined,
        K::Withdrawn,
        K::Expired,
        K::OtherLeft,
    ] {
        for sent in [true, false] {
            items.push(DigestItem {
                kind,
                other: if sent { SARA } else { BOB },
                sent,
                priority: MeetingPriority::WouldLike,
                message: sent.then_some("Een <bericht>"),
                reason: sent.then_some("Een <reden>"),
            });
        }
    }
    each(
        "digest",
        Mail::MeetingDigest {
            event: "BmS",
            items: &items,
            every_hours: 3,
            link: LINK,
            minutes: 60,
        },
    );
    each(
        "digest-one",
        Mail::MeetingDigest {
            event: "BmS",
            items: &items[10..11],
            every_hours: 3,
            link: LINK,
            minutes: 60,
        },
    );
    let lines = [
        ScheduleLine {
            when: "2027-03-11, 13:00–13:20",
            table: Some("4"),
            partner: SARA,
            change: LineChange::Unchanged,
        },
        ScheduleLine {
            when: "2027-03-11, 13:20–13:40",
            table: None,
            partner: BOB,
            change: LineChange::New,
        },
        ScheduleLine {
            when: "2027-03-11, 13:40–14:00",
            table: Some("5 <raam>"),
            partner: SARA,
            change: LineChange::Moved,
        },
    ];
    let cancelled = [ScheduleLine {
        when: "2027-03-11, 14:00–14:20",
        table: Some("6"),
        partner: BOB,
        change: LineChange::Cancelled,
    }];
    each(
        "schedule",
        Mail::MeetingSchedule {
            event: "BmS",
            meetings: &lines,
            cancelled: &cancelled,
            link: LINK,
            minutes: 60,
        },
    );
    each(
        "schedule-none",
        Mail::MeetingSchedule {
            event: "BmS",
            meetings: &[],
            cancelled: &[],
            link: LINK,
            minutes: 60,
        },
    );
    for reason in [Some("Vol <bezet>\nvolgend jaar?"), None] {
        each(
            "declined",
            Mail::RegistrationDeclined {
                event: "BmS",
                reason,
                link: LINK,
                minutes: 60,
            },
        );
    }
    for waitlist_position in [None, Some(3)] {
        for room in [Some("Zaal <1>"), None] {
            each(
                "signed-up",
                Mail::SessionSignedUp {
                    event: "BmS",
                    session: "Meubilair",
                    when: "2027-03-11, 14:00–15:00",
                    room,
                    waitlist_position,
                    link: LINK,
                    minutes: 60,
                },
            );
        }
    }
    let changes = [
        SessionChange {
            what: SessionChangeKind::Title,
            before: Some("Stoelen"),
            after: Some("Meubilair <circulair>"),
        },
        SessionChange {
            what: SessionChangeKind::Time,
            before: Some("2027-03-11, 14:00–15:00"),
            after: Some("2027-03-11, 15:00–16:00"),
        },
        SessionChange {
            what: SessionChangeKind::Room,
            before: None,
            after: Some("Zaal 2"),
        },
        SessionChange {
            what: SessionChangeKind::Room,
            before: Some("Zaal 2"),
            after: None,
        },
    ];
    each(
        "session-changed",
        Mail::SessionChanged {
            event: "BmS",
            session: "Meubilair <circulair>",
            changes: &changes,
            link: LINK,
            minutes: 60,
        },
    );
    for waitlisted in [true, false] {
        each(
            "session-cancelled",
            Mail::SessionCancelled {
                event: "BmS",
                session: "Meubilair",
                when: "2027-03-11, 14:00–15:00",
                waitlisted,
                link: LINK,
                minutes: 60,
            },
        );
    }
    let sessions = [
        AgendaSession {
            when: "2027-03-11, 10:00–11:00",
            title: "Opening <plenair>",
            room: Some("Zaal 1"),
        },
        AgendaSession {
            when: "2027-03-11, 15:00–16:00",
            title: "Meubilair",
            room: None,
        },
    ];
    for (label, meetings, sessions, venue) in [
        ("day-before", &lines[..], &sessions[..], "Expo <Gent>"),
        ("day-before-meetings", &lines[..], &[][..], ""),
        ("day-before-sessions", &[][..], &sessions[..], ""),
        ("day-before-empty", &[][..], &[][..], "Gent"),
    ] {
        each(
            label,
            Mail::DayBefore {
                event: "BmS",
                date: "2027-03-11",
                venue,
                checkin_code: "K7MX4PQR",
                meetings,
                sessions,
                link: LINK,
                minutes: 60,
            },
        );
    }
    for body in [
        "De lunch <begint> om 12:30.",
        "Eerste alinea.\n\nTweede\nregel.",
    ] {
        each(
            "announcement",
            Mail::Announcement {
                event: "BmS",
                author: "Olga <organisator>",
                body,
                unsubscribe: "https://x.test/api/unsubscribe/abc",
                link: LINK,
                minutes: 60,
            },
        );
    }
}
