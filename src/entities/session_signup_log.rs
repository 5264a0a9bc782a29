//! The `session_signup_log` table: organisers' changes to sign-ups and promotions from
//! the waitlist, with who did it and when.

use sea_orm::entity::prelude::*;

use crate::domain::SignupAction;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "session_signup_log")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub session_id: Uuid,
    pub event_id: Uuid,
    /// Whose sign-up changed.
    pub person_id: Uuid,
    pub action: SignupAction,
    /// The organiser; for a promotion, the organiser whose change freed the seat (`None`
    /// when a participant's own cancellation did).
    pub by_person_id: Option<Uuid>,
    pub from_position: Option<i32>,
    pub to_position: Option<i32>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
