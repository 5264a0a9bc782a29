//! Each buyer's and supplier's choice of when emails about their meeting requests come:
//! one at once per change (`immediate`) or a digest every few hours (`digest`). Without a
//! choice the organiser's default from the event's rules applies. Live messages come at
//! once either way.

use chrono::Utc;
use sea_orm::sea_query::OnConflict;
use sea_orm::{EntityTrait, Set};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::requests::me;
use super::{EmailTiming, MeetingsError, MeetingsResult};
use crate::domain::Role;
use crate::entities::{meeting_notice_choice, participation, person};
use crate::state::AppState;

/// When my emails about meeting requests come in this event.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NoticeChoice {
    pub event_id: Uuid,
    /// What applies: my choice, else the organiser's default.
    pub email_timing: EmailTiming,
    /// My own choice; `null`: the organiser's default applies.
    pub chosen: Option<EmailTiming>,
    /// The organiser's default for the event.
    pub default: EmailTiming,
    /// Hours between two digests.
    pub digest_hours: i64,
}

/// My choice; `null` (or left out) goes back to the organiser's default.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct NoticeChoiceInput {
    pub email_timing: Option<EmailTiming>,
}

/// The caller's participation, if they are a buyer or supplier (the people with meeting
/// requests).
async fn requester<C: sea_orm::ConnectionTrait>(
    db: &C,
    by: &person::Model,
    event_id: Uuid,
) -> MeetingsResult<participation::Model> {
    let mine = me(db, by, event_id).await?;
    if !matches!(mine.role, Role::Buyer | Role::Supplier) {
        return Err(MeetingsError::Forbidden(
            "only buyers and suppliers have meeting requests".into(),
        ));
    }
    Ok(mine)
}

async fn view<C: sea_orm::ConnectionTrait>(
    db: &C,
    state: &AppState,
    mine: &participation::Model,
) -> MeetingsResult<NoticeChoice> {
    let default = super::rules::load(db, mine.event_id).await?.email_timing;
    let chosen = meeting_notice_choice::Entity::find_by_id(mine.id)
        .one(db)
        .await?
        .map(|c| c.email_timing);
    Ok(NoticeChoice {
        event_id: mine.event_id,
        email_timing: chosen.unwrap_or(default),
        chosen,
        default,
        digest_hours: state.settings.housekeeping.meeting_digest_hours,
    })
}

/// The caller's choice and what applies.
pub async fn get(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
) -> MeetingsResult<NoticeChoice> {
    let mine = requester(&state.db, by, event_id).await?;
    view(&state.db, state, &mine).await
}

/// Sets (or, with `null`, removes) the caller's choice. Notices already waiting for a
/// digest still go out with the next one.
pub async fn put(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    input: NoticeChoiceInput,
) -> MeetingsResult<NoticeChoice> {
    use meeting_notice_choice::Column;
    let txn = crate::db::begin(&state.db).await?;
    let mine = requester(&txn, by, event_id).await?;
    match input.email_timing {
        Some(timing) => {
            meeting_notice_choice::Entity::insert(meeting_notice_choice::ActiveModel {
                participation_id: Set(mine.id),
                event_id: Set(event_id),
                email_timing: Set(timing),
                updated_at: Set(Utc::now()),
            })
            .on_conflict(
                OnConflict::column(Column::ParticipationId)
                    .update_columns([Column::EmailTiming, Column::UpdatedAt])
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
        }
        None => {
            meeting_notice_choice::Entity::delete_by_id(mine.id)
                .exec(&txn)
                .await?;
        }
    }
    let answer = view(&txn, state, &mine).await?;
    txn.commit().await?;
    Ok(answer)
}
