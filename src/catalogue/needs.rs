//! Buyer needs: the product groups, ambitions and business models a buyer cares about and
//! an upcoming purchasing project. Suppliers of the event read a profile only when its buyer shares it.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::service::{PersonRef, organisations, vocabulary};
use crate::domain::{Role, StringList};
use crate::entities::{buyer_need, participation, person};
use crate::error::{AppError, AppResult, FieldError};
use crate::events::access;
use crate::state::AppState;

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct NeedsInput {
    pub product_groups: Vec<String>,
    /// Ambition strategy codes such as `A3`.
    pub strategies: Vec<String>,
    /// Business model codes the buyer wants, such as `product-as-a-service`.
    pub business_models: Vec<String>,
    /// What the buyer plans to buy.
    pub project_what: Option<String>,
    /// When, in the buyer's words (e.g. "Q2 2027").
    pub project_when: Option<String>,
    /// Optional budget range in euros.
    pub budget_min: Option<i64>,
    pub budget_max: Option<i64>,
    pub shared_with_suppliers: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NeedsView {
    pub product_groups: Vec<String>,
    pub strategies: Vec<String>,
    pub business_models: Vec<String>,
    pub project_what: String,
    pub project_when: String,
    pub budget_min: Option<i64>,
    pub budget_max: Option<i64>,
    pub shared_with_suppliers: bool,
    /// Null when the buyer has not written a profile yet.
    pub updated_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BuyerNeeds {
    pub person: PersonRef,
    /// The buyer's participation, the `participant_id` of a meeting request.
    pub participant_id: Uuid,
    pub organisation: Option<String>,
    #[serde(flatten)]
    pub needs: NeedsView,
}

fn view(row: Option<buyer_need::Model>) -> NeedsView {
    match row {
        Some(row) => NeedsView {
            product_groups: row.product_groups.0,
            strategies: row.strategies.0,
            business_models: row.business_models.0,
            project_what: row.project_what,
            project_when: row.project_when,
            budget_min: row.budget_min,
            budget_max: row.budget_max,
            shared_with_suppliers: row.shared_with_suppliers,
            updated_at: Some(row.updated_at),
        },
        None => NeedsView {
            product_groups: Vec::new(),
            strategies: Vec::new(),
            business_models: Vec::new(),
            project_what: String::new(),
            project_when: String::new(),
            budget_min: None,
            budget_max: None,
            shared_with_suppliers: false,
            updated_at: None,
        },
    }
}

fn require_buyer(access: &access::EventAccess) -> AppResult<()> {
    if access.role == Some(Role::Buyer) {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "a needs profile is for the event's buyers".into(),
        ))
    }
}

async fn find<C: sea_orm::ConnectionTrait>(
    db: &C,
    event_id: Uuid,
    person_id: Uuid,
) -> AppResult<Option<buyer_need::Model>> {
    Ok(buyer_need::Entity::find()
        .filter(buyer_need::Column::EventId.eq(event_id))
        .filter(buyer_need::Column::PersonId.eq(person_id))
        .one(db)
        .await?)
}

pub async fn mine(state: &AppState, by: &person::Model, event_id: Uuid) -> AppResult<NeedsView> {
    let access = access::participant(&state.db, by, event_id).await?;
    require_buyer(&access)?;
    Ok(view(find(&state.db, event_id, by.id).await?))
}

pub async fn save(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    input: NeedsInput,
) -> AppResult<NeedsView> {
    let txn = crate::db::begin(&state.db).await?;
    let access = access::participant(&txn, by, event_id).await?;
    require_buyer(&access)?;
    let vocabulary = vocabulary(&txn, event_id).await?;
    let mut errors = Vec::new();
    let mut codes = |values: Vec<String>, field: &str, known: &dyn Fn(&str) -> bool| {
        let mut out: Vec<String> = Vec::new();
        for (i, value) in values.into_iter().enumerate() {
            let value = value.trim().to_string();
            if !known(&value) {
                errors.push(FieldError::new(
                    format!("{field}[{i}]"),
                    "unknown_code",
                    format!("{value}: not known in this event"),
                ));
            } else if !out.contains(&value) {
                out.push(value);
            }
        }
        out
    };
    let product_groups = codes(input.product_groups, "product_groups", &|c| {
        vocabulary.product_groups.contains_key(c)
    });
    let strategies = codes(
        input
            .strategies
            .into_iter()
            .map(|s| s.to_ascii_uppercase())
            .collect(),
        "strategies",
        &|c| vocabulary.strategies.contains_key(c),
    );
    let business_models = codes(input.business_models, "business_models", &|c| {
        vocabulary.business_models.contains_key(c)
    });
    let what = crate::domain::optional_multiline_text(
        input.project_what.as_deref(),
        "project_what",
        crate::bounds::PROJECT_WHAT_MAX,
        &mut errors,
    )
    .unwrap_or_default();
    let when = crate::domain::optional_text(
        input.project_when.as_deref(),
        "project_when",
        crate::bounds::PROJECT_WHEN_MAX,
        &mut errors,
    )
    .unwrap_or_default();
    for (field, value) in [
        ("budget_min", input.budget_min),
        ("budget_max", input.budget_max),
    ] {
        if value.is_some_and(|v| v < 0) {
            errors.push(FieldError::new(
                field,
                "negative",
                "a budget cannot be negative",
            ));
        }
    }
    if let (Some(min), Some(max)) = (input.budget_min, input.budget_max)
        && min > max
    {
        errors.push(FieldError::new(
            "budget_max",
            "less_than_min",
            "the maximum budget is below the minimum",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let existing = find(&txn, event_id, by.id).await?;
    let is_new = existing.is_none();
    let mut active = match existing {
        Some(row) => row.into(),
        None => buyer_need::ActiveModel {
            id: Set(Uuid::now_v7()),
            event_id: Set(event_id),
            person_id: Set(by.id),
            ..Default::default()
        },
    };
    active.product_groups = Set(StringList(product_groups));
    active.strategies = Set(StringList(strategies));
    active.business_models = Set(StringList(business_models));
    active.project_what = Set(what);
    active.project_when = Set(when);
    active.budget_min = Set(input.budget_min);
    active.budget_max = Set(input.budget_max);
    active.shared_with_suppliers = Set(input.shared_with_suppliers);
    active.updated_at = Set(Utc::now());
    let row = if is_new {
        // Two first saves at once (two windows) meet at the unique index.
        active.insert(&txn).await.map_err(|err| {
            crate::error::on_unique(
                err,
                "shared_with_suppliers",
                "your profile was saved from another window at the same moment; reload it",
            )
        })?
    } else {
        active.update(&txn).await?
    };
    txn.commit().await?;
    Ok(view(Some(row)))
}

/// The one rule for reading other people's profiles: organisers (and platform admins) read
/// every profile, everyone else allowed to read them only the ones their buyer shares.
pub fn reads_unshared(access: &access::EventAccess) -> bool {
    access.is_organiser()
}

/// The page of the browser app that lists buyers' needs, at this buyer's profile.
pub fn needs_page(event_id: Uuid, person_id: Uuid) -> String {
    format!("/events/{event_id}/needs#needs-{person_id}")
}

/// The profiles of these people in the event that `access` may read ([`reads_unshared`]),
/// by person. Whether the reader may read profiles at all is the caller's check.
pub async fn profiles_of<C: sea_orm::ConnectionTrait>(
    db: &C,
    access: &access::EventAccess,
    person_ids: Vec<Uuid>,
) -> AppResult<std::collections::HashMap<Uuid, NeedsView>> {
    if person_ids.is_empty() {
        return Ok(Default::default());
    }
    let mut query = buyer_need::Entity::find()
        .filter(buyer_need::Column::EventId.eq(access.event.id))
        .filter(buyer_need::Column::PersonId.is_in(person_ids));
    if !reads_unshared(access) {
        query = query.filter(buyer_need::Column::SharedWithSuppliers.eq(true));
    }
    Ok(query
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.person_id, view(Some(row))))
        .collect())
}

/// Organisers read every profile; suppliers the shared ones of active buyers.
pub async fn list(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
) -> AppResult<Vec<BuyerNeeds>> {
    let access = access::participant(&state.db, by, event_id).await?;
    if !access.is_organiser() && access.role != Some(Role::Supplier) {
        return Err(AppError::Forbidden(
            "buyers' needs are for the event's suppliers and organisers".into(),
        ));
    }
    let mut query = buyer_need::Entity::find().filter(buyer_need::Column::EventId.eq(event_id));
    if !reads_unshared(&access) {
        query = query.filter(buyer_need::Column::SharedWithSuppliers.eq(true));
    }
    let rows = query.all(&state.db).await?;
    // Active buyers' participations by person.
    let buyers: std::collections::HashMap<Uuid, Uuid> = participation::Entity::find()
        .filter(participation::Column::EventId.eq(event_id))
        .filter(participation::Column::Role.eq(Role::Buyer))
        .all(&state.db)
        .await?
        .into_iter()
        .filter(access::is_active)
        .map(|p| (p.person_id, p.id))
        .collect();
    let rows: Vec<buyer_need::Model> = rows
        .into_iter()
        .filter(|r| buyers.contains_key(&r.person_id))
        .collect();
    let people: Vec<person::Model> = person::Entity::find()
        .filter(person::Column::Id.is_in(rows.iter().map(|r| r.person_id).collect::<Vec<_>>()))
        .all(&state.db)
        .await?;
    let names = organisations(
        &state.db,
        people.iter().filter_map(|p| p.organisation_id).collect(),
    )
    .await?;
    let mut out: Vec<BuyerNeeds> = rows
        .into_iter()
        .filter_map(|row| {
            let person = people.iter().find(|p| p.id == row.person_id)?;
            Some(BuyerNeeds {
                person: PersonRef {
                    id: person.id,
                    name: person.name.clone(),
                },
                participant_id: *buyers.get(&person.id)?,
                organisation: person.organisation_id.and_then(|o| names.get(&o).cloned()),
                needs: view(Some(row)),
            })
        })
        .collect();
    out.sort_by(|a, b| a.person.name.cmp(&b.person.name));
    Ok(out)
}
