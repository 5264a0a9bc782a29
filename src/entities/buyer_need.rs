//! The `buyer_need` table: a buyer's needs profile in one event.

use sea_orm::entity::prelude::*;

use crate::domain::StringList;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "buyer_need")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub event_id: Uuid,
    pub person_id: Uuid,
    /// Product group codes.
    pub product_groups: StringList,
    /// Ambition strategy codes.
    pub strategies: StringList,
    /// Business model codes the buyer wants.
    pub business_models: StringList,
    pub project_what: String,
    pub project_when: String,
    pub budget_min: Option<i64>,
    pub budget_max: Option<i64>,
    pub shared_with_suppliers: bool,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
