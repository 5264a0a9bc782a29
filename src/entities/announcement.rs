//! The `announcement` table: what organisers announced, kept for later readers.

use sea_orm::entity::prelude::*;

use crate::domain::{RecipientList, Recipients};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "announcement")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub event_id: Uuid,
    pub author_id: Uuid,
    pub audience: Recipients,
    /// The roles or people chosen, depending on `audience`.
    pub recipients: RecipientList,
    pub body_nl: String,
    pub body_en: String,
    pub created_at: DateTimeUtc,
    /// Also sent by email (to the people who did not opt out).
    pub email: bool,
    /// The people it is emailed to, counted when it was announced.
    pub email_total: Option<i32>,
    /// Emails queued so far.
    pub email_queued: i32,
    /// The last person (by id) whose email is queued; the next batch starts after it.
    pub email_cursor: Option<Uuid>,
    /// When the last batch was queued.
    pub email_done_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
