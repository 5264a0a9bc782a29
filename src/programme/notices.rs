//! What people signed up for a session are told by email when an organiser changes it:
//! its title, time or room (the people with a seat: one email listing what changed, before
//! and after, in their language), or removes it (everyone with a seat or a place on its
//! waitlist). Queued in the transaction of the change; a change of the event's time zone
//! keeps local times and tells nobody.

use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::signup::{room_name, title_in, when_of};
use super::{ProgrammeResult, SignupStatus};
use crate::auth::service::{LinkPurpose, issue_links};
use crate::domain::Lang;
use crate::entities::{event, person, programme_session, session_signup};
use crate::mail::Outgoing;
use crate::mail::templates::{Mail, SessionChange, SessionChangeKind, To, render};
use crate::state::AppState;

type Session = programme_session::Model;

/// The people of `person_ids`, in that order (those still there).
async fn people(
    txn: &DatabaseTransaction,
    person_ids: Vec<Uuid>,
) -> ProgrammeResult<Vec<person::Model>> {
    let mut found = person::Entity::find()
        .filter(person::Column::Id.is_in(person_ids.clone()))
        .all(txn)
        .await?;
    found.sort_by_key(|p| person_ids.iter().position(|id| *id == p.id));
    Ok(found)
}

/// What changed for a reader of `lang`: the title in their language, the time, the room.
fn changes<'a>(
    lang: Lang,
    before: &'a Session,
    after: &'a Session,
    times: &'a (String, String),
    rooms: &'a (Option<String>, Option<String>),
) -> Vec<SessionChange<'a>> {
    let mut list = Vec::new();
    let (old_title, new_title) = (title_in(before, lang), title_in(after, lang));
    if old_title != new_title {
        list.push(SessionChange {
            what: SessionChangeKind::Title,
            before: Some(old_title),
            after: Some(new_title),
        });
    }
    if times.0 != times.1 {
        list.push(SessionChange {
            what: SessionChangeKind::Time,
            before: Some(&times.0),
            after: Some(&times.1),
        });
    }
    if rooms.0 != rooms.1 {
        list.push(SessionChange {
            what: SessionChangeKind::Room,
            before: rooms.0.as_deref(),
            after: rooms.1.as_deref(),
        });
    }
    list
}

/// Emails everyone with a seat in the session what changed about it (`before` ->
/// `after`), in their language; the number of emails queued. A change of the other
/// language's title only, or of nothing they see, sends them nothing.
pub(crate) async fn tell_changed(
    txn: &DatabaseTransaction,
    state: &AppState,
    event: &event::Model,
    before: &Session,
    after: &Session,
) -> ProgrammeResult<usize> {
    let times = (when_of(before), when_of(after));
    let rooms = (
        room_name(txn, before.room_id).await?,
        room_name(txn, after.room_id).await?,
    );
    let title_changed = before.title_nl != after.title_nl || before.title_en != after.title_en;
    if !title_changed && times.0 == times.1 && rooms.0 == rooms.1 {
        return Ok(0);
    }
    let seated: Vec<Uuid> = session_signup::Entity::find()
        .filter(session_signup::Column::SessionId.eq(after.id))
        .filter(session_signup::Column::Status.eq(SignupStatus::Confirmed))
        .all(txn)
        .await?
        .into_iter()
        .map(|s| s.person_id)
        .collect();
    let readers: Vec<person::Model> = people(txn, seated)
        .await?
        .into_iter()
        .filter(|p| !changes(p.language, before, after, &times, &rooms).is_empty())
        .collect();
    let ids: Vec<Uuid> = readers.iter().map(|p| p.id).collect();
    let links = issue_links(txn, state, &ids, LinkPurpose::Invitation, Some(event.id)).await?;
    let minutes = state.settings.auth.invitation_link_hours * 60;
    let mails: Vec<Outgoing> = readers
        .iter()
        .zip(&links)
        .map(|(p, link)| {
            let changes = changes(p.language, before, after, &times, &rooms);
            render(
                Mail::SessionChanged {
                    event: &event.name,
                    session: title_in(after, p.language),
                    changes: &changes,
                    link,
                    minutes,
                },
                To::from(p),
                Some(event),
            )
        })
        .collect();
    Ok(state.mail.enqueue_many(txn, mails).await?)
}

/// Emails everyone who had a seat or a waitlist place in a session that is removed; call
/// before it is deleted (its sign-ups go with it). The number of emails queued.
pub(crate) async fn tell_cancelled(
    txn: &DatabaseTransaction,
    state: &AppState,
    event: &event::Model,
    s: &Session,
) -> ProgrammeResult<usize> {
    let signups = session_signup::Entity::find()
        .filter(session_signup::Column::SessionId.eq(s.id))
        .all(txn)
        .await?;
    let readers = people(txn, signups.iter().map(|r| r.person_id).collect()).await?;
    let ids: Vec<Uuid> = readers.iter().map(|p| p.id).collect();
    let links = issue_links(txn, state, &ids, LinkPurpose::Invitation, Some(event.id)).await?;
    let minutes = state.settings.auth.invitation_link_hours * 60;
    let when = when_of(s);
    let mails: Vec<Outgoing> = readers
        .iter()
        .zip(&links)
        .map(|(p, link)| {
            let waitlisted = signups
                .iter()
                .any(|r| r.person_id == p.id && r.status == SignupStatus::Waitlisted);
            render(
                Mail::SessionCancelled {
                    event: &event.name,
                    session: title_in(s, p.language),
                    when: &when,
                    waitlisted,
                    link,
                    minutes,
                },
                To::from(p),
                Some(event),
            )
        })
        .collect();
    Ok(state.mail.enqueue_many(txn, mails).await?)
}
