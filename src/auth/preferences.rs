//! Each person's choices about optional email: announcements by email (on unless they
//! switched them off, in their profile or with the unsubscribe link under such an email).
//! Login links, registrations, schedules and changes to one's meetings and sessions
//! always go. The unsubscribe link carries a random token stored with the choice; it needs
//! no login and can do nothing but switch announcement emails off.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::entities::mail_preference;

fn row(person_id: Uuid, announcement_emails: bool) -> mail_preference::ActiveModel {
    mail_preference::ActiveModel {
        person_id: Set(person_id),
        announcement_emails: Set(announcement_emails),
        unsubscribe_token: Set(super::new_token()),
        updated_at: Set(Utc::now()),
    }
}

/// Whether the person wants announcements by email.
pub async fn announcement_emails<C: ConnectionTrait>(
    db: &C,
    person_id: Uuid,
) -> Result<bool, DbErr> {
    Ok(mail_preference::Entity::find_by_id(person_id)
        .one(db)
        .await?
        .is_none_or(|p| p.announcement_emails))
}

/// Sets whether the person wants announcements by email.
pub async fn set_announcement_emails<C: ConnectionTrait>(
    db: &C,
    person_id: Uuid,
    on: bool,
) -> Result<(), DbErr> {
    use mail_preference::Column;
    mail_preference::Entity::insert(row(person_id, on))
        .on_conflict(
            OnConflict::column(Column::PersonId)
                .update_columns([Column::AnnouncementEmails, Column::UpdatedAt])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Of these people, those who want announcements by email, each with the token of their
/// unsubscribe link (given one now when they have none).
pub async fn announcement_readers<C: ConnectionTrait>(
    db: &C,
    people: &[Uuid],
) -> Result<HashMap<Uuid, String>, DbErr> {
    use mail_preference::Column;
    for chunk in people.chunks(200) {
        mail_preference::Entity::insert_many(chunk.iter().map(|id| row(*id, true)))
            .on_conflict(OnConflict::column(Column::PersonId).do_nothing().to_owned())
            .exec_without_returning(db)
            .await?;
    }
    let mut readers = HashMap::with_capacity(people.len());
    for chunk in people.chunks(500) {
        let rows = mail_preference::Entity::find()
            .filter(Column::PersonId.is_in(chunk.iter().copied()))
            .filter(Column::AnnouncementEmails.eq(true))
            .all(db)
            .await?;
        readers.extend(rows.into_iter().map(|p| (p.person_id, p.unsubscribe_token)));
    }
    Ok(readers)
}

/// How many of these people switched announcement emails off.
pub async fn opted_out<C: ConnectionTrait>(db: &C, people: &[Uuid]) -> Result<usize, DbErr> {
    let mut count = 0;
    for chunk in people.chunks(500) {
        count += mail_preference::Entity::find()
            .filter(mail_preference::Column::PersonId.is_in(chunk.iter().copied()))
            .filter(mail_preference::Column::AnnouncementEmails.eq(false))
            .all(db)
            .await?
            .len();
    }
    Ok(count)
}

/// The preference an unsubscribe link's token belongs to, if any.
pub async fn by_token<C: ConnectionTrait>(
    db: &C,
    token: &str,
) -> Result<Option<mail_preference::Model>, DbErr> {
    mail_preference::Entity::find()
        .filter(mail_preference::Column::UnsubscribeToken.eq(token))
        .one(db)
        .await
}

/// Switches announcement emails off for the holder of the token; `false` for a token
/// nobody has. Doing it twice is no error.
pub async fn unsubscribe<C: ConnectionTrait>(db: &C, token: &str) -> Result<bool, DbErr> {
    let Some(found) = by_token(db, token).await? else {
        return Ok(false);
    };
    set_announcement_emails(db, found.person_id, false).await?;
    Ok(true)
}
