//! The `session_signup` table: one person's seat or waitlist place in one session.

use sea_orm::entity::prelude::*;

use crate::domain::{Role, SignupStatus};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "session_signup")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub session_id: Uuid,
    pub event_id: Uuid,
    pub person_id: Uuid,
    /// The role the seat counts for, as it was when the person signed up.
    pub role: Role,
    pub status: SignupStatus,
    /// Arrival order on the waitlist; `None` once confirmed.
    pub waitlist_seq: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
