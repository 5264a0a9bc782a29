//! Small helpers shared by the migrations.

use sea_orm_migration::prelude::*;

/// A foreign key `table.column -> target.id` that deletes the row with its target.
pub fn cascade(
    table: &'static str,
    column: &'static str,
    target: &'static str,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(table, column)
        .to(target, "id")
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}
