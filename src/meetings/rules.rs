//! The organiser's rules for meeting requests in one event: which roles may ask each other,
//! whether requests need acceptance, the limits, the deadline, the reminder and what
//! happens to requests nobody answers, and when notification emails go out.
//!
//! An event without stored rules has the defaults ([`default_rules`]). Changing the rules
//! changes nothing already asked: they apply to what is sent and answered afterwards.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, EntityTrait, Set};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{EmailTiming, MeetingsResult, UnansweredRule};
use crate::bounds::{MEETINGS_LIMIT, REMINDER_HOURS, REQUESTS_SENT_LIMIT};
use crate::domain::{Role, instant_field};
use crate::entities::{meeting_rules, person};
use crate::error::FieldError;
use crate::events::access;
use crate::state::AppState;

/// Hours until an unanswered request gets its reminder when the organiser set nothing.
pub const DEFAULT_REMINDER_HOURS: i32 = 48;

/// Meetings one person may have, per role; `null`: no limit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct MeetingLimits {
    pub buyer: Option<i32>,
    pub supplier: Option<i32>,
}

/// The rules as an organiser sets them. `PUT` replaces them all: a field left out takes
/// its default (as `GET` shows them for an event where nobody set any).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RequestRulesInput {
    /// Buyers may request meetings with other buyers (default no).
    pub allow_buyer_buyer: bool,
    /// Suppliers may request meetings with other suppliers (default no).
    pub allow_supplier_supplier: bool,
    /// A request waits for the other side's answer (default yes); off, it counts as
    /// accepted at once.
    pub acceptance_required: bool,
    /// Open requests (pending, accepted or scheduled) one person may have sent; `null`:
    /// no limit.
    pub max_requests_sent: Option<i32>,
    /// Meetings (accepted or scheduled) one person may have, by their role.
    pub max_meetings: MeetingLimits,
    /// RFC 3339; requests and answers until then. `null` or `""`: no deadline.
    pub deadline: Option<String>,
    /// Hours after which an unanswered request gets one reminder; `null`: no reminder.
    pub reminder_after_hours: Option<i32>,
    /// What happens to a request still unanswered after its reminder.
    pub after_reminder: UnansweredRule,
    /// When notification emails go out unless a person chose otherwise.
    pub email_timing: EmailTiming,
}

impl Default for RequestRulesInput {
    fn default() -> Self {
        let rules = default_rules(Uuid::nil());
        RequestRulesInput {
            allow_buyer_buyer: rules.allow_buyer_buyer,
            allow_supplier_supplier: rules.allow_supplier_supplier,
            acceptance_required: rules.acceptance_required,
            max_requests_sent: rules.max_requests_sent,
            max_meetings: MeetingLimits {
                buyer: rules.max_meetings_buyer,
                supplier: rules.max_meetings_supplier,
            },
            deadline: None,
            reminder_after_hours: rules.reminder_after_hours,
            after_reminder: rules.after_reminder,
            email_timing: rules.email_timing,
        }
    }
}

/// An event's rules for meeting requests.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RequestRules {
    pub event_id: Uuid,
    pub allow_buyer_buyer: bool,
    pub allow_supplier_supplier: bool,
    pub acceptance_required: bool,
    pub max_requests_sent: Option<i32>,
    pub max_meetings: MeetingLimits,
    pub deadline: Option<DateTime<Utc>>,
    pub reminder_after_hours: Option<i32>,
    pub after_reminder: UnansweredRule,
    pub email_timing: EmailTiming,
    /// Whether requests can be sent and answered now (the deadline has not passed).
    pub open: bool,
    /// Null while the event has the defaults.
    pub updated_at: Option<DateTime<Utc>>,
}

/// The rules of an event where no organiser set any.
pub fn default_rules(event_id: Uuid) -> meeting_rules::Model {
    meeting_rules::Model {
        event_id,
        allow_buyer_buyer: false,
        allow_supplier_supplier: false,
        acceptance_required: true,
        max_requests_sent: None,
        max_meetings_buyer: None,
        max_meetings_supplier: None,
        deadline: None,
        reminder_after_hours: Some(DEFAULT_REMINDER_HOURS),
        after_reminder: UnansweredRule::Expire,
        email_timing: EmailTiming::Immediate,
        updated_at: DateTime::<Utc>::UNIX_EPOCH,
        updated_by: None,
    }
}

/// The event's rules as stored, or the defaults.
pub(crate) async fn load<C: ConnectionTrait>(
    db: &C,
    event_id: Uuid,
) -> MeetingsResult<meeting_rules::Model> {
    Ok(meeting_rules::Entity::find_by_id(event_id)
        .one(db)
        .await?
        .unwrap_or_else(|| default_rules(event_id)))
}

/// Whether requests and answers are still possible at `now`.
pub(crate) fn is_open(rules: &meeting_rules::Model, now: DateTime<Utc>) -> bool {
    rules.deadline.is_none_or(|deadline| now < deadline)
}

/// Whether someone of role `from` may request a meeting with someone of role `to`: buyers
/// and suppliers meet each other always, their own kind when the organiser allows it;
/// organisers and facilitators have no one-to-one meetings.
pub(crate) fn may_meet(rules: &meeting_rules::Model, from: Role, to: Role) -> bool {
    match (from, to) {
        (Role::Buyer, Role::Supplier) | (Role::Supplier, Role::Buyer) => true,
        (Role::Buyer, Role::Buyer) => rules.allow_buyer_buyer,
        (Role::Supplier, Role::Supplier) => rules.allow_supplier_supplier,
        _ => false,
    }
}

/// The most meetings someone of this role may have; `None`: no limit.
pub(crate) fn meeting_limit(rules: &meeting_rules::Model, role: Role) -> Option<i32> {
    match role {
        Role::Buyer => rules.max_meetings_buyer,
        Role::Supplier => rules.max_meetings_supplier,
        Role::Organiser | Role::Facilitator => None,
    }
}

pub(crate) fn view(rules: meeting_rules::Model, stored: bool) -> RequestRules {
    RequestRules {
        event_id: rules.event_id,
        allow_buyer_buyer: rules.allow_buyer_buyer,
        allow_supplier_supplier: rules.allow_supplier_supplier,
        acceptance_required: rules.acceptance_required,
        max_requests_sent: rules.max_requests_sent,
        max_meetings: MeetingLimits {
            buyer: rules.max_meetings_buyer,
            supplier: rules.max_meetings_supplier,
        },
        open: is_open(&rules, Utc::now()),
        deadline: rules.deadline,
        reminder_after_hours: rules.reminder_after_hours,
        after_reminder: rules.after_reminder,
        email_timing: rules.email_timing,
        updated_at: stored.then_some(rules.updated_at),
    }
}

/// The event's rules (organisers).
pub async fn get(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
) -> MeetingsResult<RequestRules> {
    access::organiser(&state.db, by, event_id).await?;
    let stored = meeting_rules::Entity::find_by_id(event_id)
        .one(&state.db)
        .await?;
    Ok(match stored {
        Some(rules) => view(rules, true),
        None => view(default_rules(event_id), false),
    })
}

fn limit(
    value: Option<i32>,
    range: &std::ops::RangeInclusive<i32>,
    field: &str,
    errors: &mut Vec<FieldError>,
) -> Option<i32> {
    if let Some(v) = value
        && !range.contains(&v)
    {
        errors.push(FieldError::new(
            field,
            "out_of_range",
            format!("from {} to {}, or null", range.start(), range.end()),
        ));
    }
    value
}

/// Checks the input and returns the rules it sets.
fn check(
    input: RequestRulesInput,
    event_id: Uuid,
    by: Uuid,
) -> MeetingsResult<meeting_rules::Model> {
    let mut errors = Vec::new();
    let max_requests_sent = limit(
        input.max_requests_sent,
        &REQUESTS_SENT_LIMIT,
        "max_requests_sent",
        &mut errors,
    );
    let max_meetings_buyer = limit(
        input.max_meetings.buyer,
        &MEETINGS_LIMIT,
        "max_meetings.buyer",
        &mut errors,
    );
    let max_meetings_supplier = limit(
        input.max_meetings.supplier,
        &MEETINGS_LIMIT,
        "max_meetings.supplier",
        &mut errors,
    );
    let reminder_after_hours = limit(
        input.reminder_after_hours,
        &REMINDER_HOURS,
        "reminder_after_hours",
        &mut errors,
    );
    let deadline = match input
        .deadline
        .as_deref()
        .map(|raw| instant_field(raw, "deadline"))
    {
        Some(Ok(deadline)) => deadline,
        Some(Err(e)) => {
            errors.push(e);
            None
        }
        None => None,
    };
    if !errors.is_empty() {
        return Err(super::MeetingsError::Invalid(errors));
    }
    Ok(meeting_rules::Model {
        event_id,
        allow_buyer_buyer: input.allow_buyer_buyer,
        allow_supplier_supplier: input.allow_supplier_supplier,
        acceptance_required: input.acceptance_required,
        max_requests_sent,
        max_meetings_buyer,
        max_meetings_supplier,
        deadline,
        reminder_after_hours,
        after_reminder: input.after_reminder,
        email_timing: input.email_timing,
        updated_at: Utc::now(),
        updated_by: Some(by),
    })
}

/// Replaces the event's rules (organisers).
pub async fn put(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    input: RequestRulesInput,
) -> MeetingsResult<RequestRules> {
    use meeting_rules::Column;
    let txn = crate::db::begin(&state.db).await?;
    access::organiser(&txn, by, event_id).await?;
    let rules = check(input, event_id, by.id)?;
    let row = meeting_rules::ActiveModel {
        event_id: Set(rules.event_id),
        allow_buyer_buyer: Set(rules.allow_buyer_buyer),
        allow_supplier_supplier: Set(rules.allow_supplier_supplier),
        acceptance_required: Set(rules.acceptance_required),
        max_requests_sent: Set(rules.max_requests_sent),
        max_meetings_buyer: Set(rules.max_meetings_buyer),
        max_meetings_supplier: Set(rules.max_meetings_supplier),
        deadline: Set(rules.deadline),
        reminder_after_hours: Set(rules.reminder_after_hours),
        after_reminder: Set(rules.after_reminder),
        email_timing: Set(rules.email_timing),
        updated_at: Set(rules.updated_at),
        updated_by: Set(rules.updated_by),
    };
    meeting_rules::Entity::insert(row)
        .on_conflict(
            OnConflict::column(Column::EventId)
                .update_columns([
                    Column::AllowBuyerBuyer,
                    Column::AllowSupplierSupplier,
                    Column::AcceptanceRequired,
                    Column::MaxRequestsSent,
                    Column::MaxMeetingsBuyer,
                    Column::MaxMeetingsSupplier,
                    Column::Deadline,
                    Column::ReminderAfterHours,
                    Column::AfterReminder,
                    Column::EmailTiming,
                    Column::UpdatedAt,
                    Column::UpdatedBy,
                ])
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
    txn.commit().await?;
    Ok(view(rules, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buyers_and_suppliers_meet_each_other_and_their_own_kind_when_allowed() {
        let mut rules = default_rules(Uuid::nil());
        assert!(may_meet(&rules, Role::Buyer, Role::Supplier));
        assert!(may_meet(&rules, Role::Supplier, Role::Buyer));
        assert!(!may_meet(&rules, Role::Buyer, Role::Buyer));
        assert!(!may_meet(&rules, Role::Supplier, Role::Supplier));
        assert!(!may_meet(&rules, Role::Buyer, Role::Organiser));
        assert!(!may_meet(&rules, Role::Facilitator, Role::Supplier));
        rules.allow_buyer_buyer = true;
        assert!(may_meet(&rules, Role::Buyer, Role::Buyer));
        assert!(!may_meet(&rules, Role::Supplier, Role::Supplier));
        rules.allow_supplier_supplier = true;
        assert!(may_meet(&rules, Role::Supplier, Role::Supplier));
    }

    #[test]
    fn out_of_range_limits_and_a_bad_deadline_are_named() {
        let input = RequestRulesInput {
            max_requests_sent: Some(-1),
            max_meetings: MeetingLimits {
                buyer: Some(1_000_000),
                supplier: Some(5),
            },
            reminder_after_hours: Some(0),
            deadline: Some("tomorrow".into()),
            ..Default::default()
        };
        let Err(super::super::MeetingsError::Invalid(errors)) =
            check(input, Uuid::nil(), Uuid::nil())
        else {
            panic!("refused");
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "max_requests_sent",
                "max_meetings.buyer",
                "reminder_after_hours",
                "deadline"
            ]
        );
    }
}
