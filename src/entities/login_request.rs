//! The `login_request` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "login_request")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub email_hash: String,
    pub client_ip: String,
    pub created_at: DateTimeUtc,
    /// For an address nobody has, or a registration: counts against the client's budget.
    pub costly: bool,
    /// A login mail went out for this request; the address's cooldown runs from here.
    pub mailed: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
