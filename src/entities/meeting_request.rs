//! The `meeting_request` table: one row per pair of participants who asked to meet.

use sea_orm::entity::prelude::*;

use crate::domain::{MeetingPriority, MeetingRequestStatus};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meeting_request")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub event_id: Uuid,
    /// The participation that asked.
    pub requester_id: Uuid,
    /// The participation that was asked.
    pub recipient_id: Uuid,
    /// The two participations in id order; unique together.
    pub pair_low: Uuid,
    pub pair_high: Uuid,
    pub status: MeetingRequestStatus,
    /// The requester's priority.
    pub priority: MeetingPriority,
    pub message: Option<String>,
    /// The recipient's own priority, when they accepted with one.
    pub answer_priority: Option<MeetingPriority>,
    pub decline_reason: Option<String>,
    pub answered_at: Option<DateTimeUtc>,
    /// When the one asked got the reminder of an unanswered request (once).
    pub reminded_at: Option<DateTimeUtc>,
    /// When the organiser's rule for unanswered requests expired or accepted it.
    pub lapsed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
