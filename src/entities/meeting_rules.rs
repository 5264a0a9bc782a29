//! The `meeting_rules` table: one event's rules for meeting requests.

use sea_orm::entity::prelude::*;

use crate::domain::{EmailTiming, UnansweredRule};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meeting_rules")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub event_id: Uuid,
    pub allow_buyer_buyer: bool,
    pub allow_supplier_supplier: bool,
    /// Off: a request counts as accepted at once.
    pub acceptance_required: bool,
    /// Open requests one person may have sent; `None`: no limit.
    pub max_requests_sent: Option<i32>,
    /// Meetings a buyer may have; `None`: no limit.
    pub max_meetings_buyer: Option<i32>,
    pub max_meetings_supplier: Option<i32>,
    /// Requests and answers until then; `None`: no deadline.
    pub deadline: Option<DateTimeUtc>,
    /// Hours after which an unanswered request gets its reminder; `None`: no reminder.
    pub reminder_after_hours: Option<i32>,
    pub after_reminder: UnansweredRule,
    /// When notification emails go out unless a person chose otherwise.
    pub email_timing: EmailTiming,
    pub updated_at: DateTimeUtc,
    pub updated_by: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
