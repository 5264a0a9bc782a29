//! The meeting grid: slots of a set length between a start and an end time, with breaks,
//! generated per day and then editable slot by slot. Clock times are local to the event's
//! time zone; the UTC instants are stored beside them for ordering, emails and calendars.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::access;
use crate::bounds::{GAP_MINUTES, LABEL_MAX, SLOT_MINUTES};
use crate::domain::parse_timezone;
use crate::entities::{event, person, slot};
use crate::error::{AppError, AppResult, FieldError};
use crate::meetings::schedule::holds;
use crate::state::AppState;

const MAX_SLOTS_PER_DAY: usize = 200;

pub use crate::domain::SlotKind;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SlotView {
    pub id: Uuid,
    pub date: NaiveDate,
    /// `HH:MM`, local to the event.
    pub start: String,
    pub end: String,
    pub kind: SlotKind,
    pub label: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

impl From<slot::Model> for SlotView {
    fn from(s: slot::Model) -> Self {
        SlotView {
            id: s.id,
            date: s.local_date,
            start: clock(s.start_minute),
            end: clock(s.end_minute),
            kind: s.kind,
            label: s.label,
            starts_at: s.starts_at,
            ends_at: s.ends_at,
        }
    }
}

pub fn clock(minute: i32) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// Reads `HH:MM` (or `H:MM`), 00:00 to 23:59, as minutes after midnight: exactly the
/// shape `bounds::CLOCK` states in the OpenAPI document.
pub fn parse_clock(raw: &str, field: &str) -> Result<i32, FieldError> {
    let digits = |s: &str, lengths: std::ops::RangeInclusive<usize>| {
        (lengths.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<i32>().ok())
            .flatten()
    };
    raw.trim()
        .split_once(':')
        .and_then(|(h, m)| Some((digits(h, 1..=2)?, digits(m, 2..=2)?)))
        .filter(|&(h, m)| h < 24 && m < 60)
        .map(|(h, m)| h * 60 + m)
        .ok_or_else(|| {
            FieldError::new(
                field,
                "invalid_time",
                "expected a time as HH:MM, e.g. 13:20",
            )
        })
}

pub(crate) fn instant(
    tz: Tz,
    date: NaiveDate,
    minute: i32,
    field: &str,
) -> Result<DateTime<Utc>, FieldError> {
    let local = date.and_hms_opt((minute / 60) as u32, (minute % 60) as u32, 0);
    local
        .and_then(|l| tz.from_local_datetime(&l).earliest())
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| {
            FieldError::new(
                field,
                "invalid_time",
                "this clock time does not exist on that day (clock change)",
            )
        })
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BreakInput {
    pub start: String,
    pub end: String,
    pub label: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GenerateGrid {
    pub date: NaiveDate,
    /// First meeting starts, `HH:MM`.
    pub start: String,
    /// Last meeting ends by, `HH:MM`.
    pub end: String,
    pub slot_minutes: i32,
    /// Minutes between two meetings for walking to the next table.
    #[serde(default)]
    pub gap_minutes: i32,
    #[serde(default)]
    pub breaks: Vec<BreakInput>,
}

/// A planned slot before it is stored: local date, minutes, kind, label.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedSlot {
    pub start: i32,
    pub end: i32,
    pub kind: SlotKind,
    pub label: Option<String>,
}

/// Lays out a day: meetings of `length` minutes from `start`, `gap` minutes apart, never
/// crossing a break (a meeting that would run into a break starts after it) or `end`.
pub fn plan_day(
    start: i32,
    end: i32,
    length: i32,
    gap: i32,
    breaks: &[(i32, i32, Option<String>)],
) -> Vec<PlannedSlot> {
    let mut breaks = breaks.to_vec();
    breaks.sort_by_key(|b| b.0);
    let mut out = Vec::new();
    let mut t = start;
    let mut next_break = 0;
    while t < end {
        if let Some((bs, be, label)) = breaks.get(next_break).cloned()
            && t + length > bs
        {
            out.push(PlannedSlot {
                start: bs,
                end: be,
                kind: SlotKind::Break,
                label,
            });
            t = t.max(be);
            next_break += 1;
            continue;
        }
        if t + length > end {
            break;
        }
        out.push(PlannedSlot {
            start: t,
            end: t + length,
            kind: SlotKind::Meeting,
            label: None,
        });
        t += length + gap;
    }
    for (bs, be, label) in breaks.into_iter().skip(next_break) {
        out.push(PlannedSlot {
            start: bs,
            end: be,
            kind: SlotKind::Break,
            label,
        });
    }
    out
}

pub(crate) fn check_day(event: &event::Model, date: NaiveDate) -> Result<(), FieldError> {
    if date < event.start_date || date > event.end_date {
        Err(FieldError::new(
            "date",
            "out_of_range",
            "this day is not one of the event's days",
        ))
    } else {
        Ok(())
    }
}

pub async fn list(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
) -> AppResult<Vec<SlotView>> {
    access::participant(&state.db, by, event_id).await?;
    list_rows(&state.db, event_id).await
}

async fn list_rows<C: ConnectionTrait>(db: &C, event_id: Uuid) -> AppResult<Vec<SlotView>> {
    Ok(slot::Entity::find()
        .filter(slot::Column::EventId.eq(event_id))
        .order_by_asc(slot::Column::LocalDate)
        .order_by_asc(slot::Column::StartMinute)
        .all(db)
        .await?
        .into_iter()
        .map(SlotView::from)
        .collect())
}

/// Replaces one day's grid with a freshly generated one. Refused (nothing changes) when a
/// slot it would remove has scheduled meetings (`holds::keep_slots_of_meetings`).
pub async fn generate(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    input: GenerateGrid,
) -> AppResult<Vec<SlotView>> {
    crate::db::retrying("generating a day's grid", || {
        generate_once(state, by, event_id, &input)
    })
    .await
}

async fn generate_once(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    input: &GenerateGrid,
) -> AppResult<Vec<SlotView>> {
    let txn = crate::db::begin(&state.db).await?;
    let event = access::organiser(&txn, by, event_id).await?.event;
    let tz = parse_timezone(&event.timezone).map_err(|e| AppError::Validation(vec![e]))?;
    let mut errors = Vec::new();
    if let Err(e) = check_day(&event, input.date) {
        errors.push(e);
    }
    let start = parse_clock(&input.start, "start")
        .map_err(|e| errors.push(e))
        .ok();
    let end = parse_clock(&input.end, "end")
        .map_err(|e| errors.push(e))
        .ok();
    if !SLOT_MINUTES.contains(&input.slot_minutes) {
        errors.push(FieldError::new(
            "slot_minutes",
            "out_of_range",
            format!(
                "a meeting lasts {} to {} minutes",
                SLOT_MINUTES.start(),
                SLOT_MINUTES.end()
            ),
        ));
    }
    if !GAP_MINUTES.contains(&input.gap_minutes) {
        errors.push(FieldError::new(
            "gap_minutes",
            "out_of_range",
            format!(
                "the gap is {} to {} minutes",
                GAP_MINUTES.start(),
                GAP_MINUTES.end()
            ),
        ));
    }
    let mut breaks = Vec::new();
    for (i, b) in input.breaks.iter().enumerate() {
        let bs = parse_clock(&b.start, &format!("breaks[{i}].start"))
            .map_err(|e| errors.push(e))
            .ok();
        let be = parse_clock(&b.end, &format!("breaks[{i}].end"))
            .map_err(|e| errors.push(e))
            .ok();
        // A label goes on one line, like a slot's.
        let label = crate::domain::optional_text(
            b.label.as_deref(),
            &format!("breaks[{i}].label"),
            LABEL_MAX,
            &mut errors,
        );
        if let (Some(bs), Some(be), Some(s), Some(e)) = (bs, be, start, end) {
            if be <= bs || bs < s || be > e {
                errors.push(FieldError::new(
                    format!("breaks[{i}]"),
                    "out_of_range",
                    "a break ends after it starts, within the day's hours",
                ));
            } else {
                breaks.push((bs, be, label));
            }
        }
    }
    breaks.sort_by_key(|b| b.0);
    if breaks.windows(2).any(|w| w[1].0 < w[0].1) {
        errors.push(FieldError::new(
            "breaks",
            "overlap",
            "breaks overlap each other",
        ));
    }
    let (Some(start), Some(end)) = (start, end) else {
        return Err(AppError::Validation(errors));
    };
    if end <= start {
        errors.push(FieldError::new(
            "end",
            "out_of_range",
            "the day ends after it starts",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let plan = plan_day(start, end, input.slot_minutes, input.gap_minutes, &breaks);
    if !plan.iter().any(|p| p.kind == SlotKind::Meeting) {
        return Err(AppError::field(
            "slot_minutes",
            "out_of_range",
            "no meeting fits between these times",
        ));
    }
    if plan.len() > MAX_SLOTS_PER_DAY {
        return Err(AppError::field(
            "slot_minutes",
            "out_of_range",
            format!("at most {MAX_SLOTS_PER_DAY} slots a day"),
        ));
    }
    // A slot whose times and kind stay keeps its row (and id), and with it what refers to
    // it: the slots people marked as unavailable, and its meetings. The others are
    // replaced; marks on them move to the new meeting slots at the same time
    // (meetings::availability::carry_marks). The day's slots are locked for the change.
    let mut existing = slot::Entity::find()
        .filter(slot::Column::EventId.eq(event_id))
        .filter(slot::Column::LocalDate.eq(input.date))
        .order_by_asc(slot::Column::Id)
        .lock_exclusive()
        .all(&txn)
        .await?;
    let mut kept = Vec::new();
    let mut planned = Vec::with_capacity(plan.len());
    for p in plan {
        match existing
            .iter()
            .position(|s| s.start_minute == p.start && s.end_minute == p.end && s.kind == p.kind)
        {
            Some(i) => kept.push((existing.swap_remove(i), p.label)),
            None => planned.push(p),
        }
    }
    // What is left goes: not while scheduled meetings are in it.
    let removed: Vec<Uuid> = existing.iter().map(|s| s.id).collect();
    holds::keep_slots_of_meetings(&txn, event_id, &removed).await?;
    for (slot, label) in kept {
        if slot.label != label {
            let mut active: slot::ActiveModel = slot.into();
            active.label = Set(label);
            active.update(&txn).await?;
        }
    }
    let mut rows = Vec::with_capacity(planned.len());
    for p in planned {
        rows.push(slot::ActiveModel {
            id: Set(Uuid::now_v7()),
            event_id: Set(event_id),
            local_date: Set(input.date),
            start_minute: Set(p.start),
            end_minute: Set(p.end),
            starts_at: Set(instant(tz, input.date, p.start, "start")
                .map_err(|e| AppError::Validation(vec![e]))?),
            ends_at: Set(
                instant(tz, input.date, p.end, "end").map_err(|e| AppError::Validation(vec![e]))?
            ),
            kind: Set(p.kind),
            label: Set(p.label),
        });
    }
    if !rows.is_empty() {
        slot::Entity::insert_many(rows).exec(&txn).await?;
    }
    let day = slot::Entity::find()
        .filter(slot::Column::EventId.eq(event_id))
        .filter(slot::Column::LocalDate.eq(input.date))
        .filter(slot::Column::Id.is_not_in(existing.iter().map(|s| s.id)))
        .all(&txn)
        .await?;
    crate::meetings::availability::carry_marks(&txn, &existing, &day).await?;
    if !existing.is_empty() {
        slot::Entity::delete_many()
            .filter(slot::Column::Id.is_in(existing.iter().map(|s| s.id)))
            .exec(&txn)
            .await?;
    }
    let slots = list_rows(&txn, event_id).await?;
    txn.commit().await?;
    Ok(slots)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SlotInput {
    pub date: Option<NaiveDate>,
    pub start: Option<String>,
    pub end: Option<String>,
    pub kind: Option<SlotKind>,
    pub label: Option<String>,
}

/// Adds one slot (`existing` = None) or changes one, refusing overlaps on the same day.
pub async fn save(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    existing: Option<Uuid>,
    input: SlotInput,
) -> AppResult<SlotView> {
    let txn = crate::db::begin(&state.db).await?;
    let event = access::organiser(&txn, by, event_id).await?.event;
    let tz = parse_timezone(&event.timezone).map_err(|e| AppError::Validation(vec![e]))?;
    let current = match existing {
        Some(id) => Some(
            super::find_in_event::<slot::Entity, _>(
                &txn,
                (slot::Column::Id, slot::Column::EventId),
                event_id,
                id,
                "slot",
            )
            .await?,
        ),
        None => None,
    };
    let mut errors = Vec::new();
    let date = match (input.date, &current) {
        (Some(d), _) => d,
        (None, Some(c)) => c.local_date,
        (None, None) => return Err(AppError::field("date", "required", "which day?")),
    };
    if let Err(e) = check_day(&event, date) {
        errors.push(e);
    }
    let start = match (&input.start, &current) {
        (Some(s), _) => parse_clock(s, "start").map_err(|e| errors.push(e)).ok(),
        (None, Some(c)) => Some(c.start_minute),
        (None, None) => {
            errors.push(FieldError::new(
                "start",
                "required",
                "when does the slot start?",
            ));
            None
        }
    };
    let end = match (&input.end, &current) {
        (Some(s), _) => parse_clock(s, "end").map_err(|e| errors.push(e)).ok(),
        (None, Some(c)) => Some(c.end_minute),
        (None, None) => {
            errors.push(FieldError::new(
                "end",
                "required",
                "when does the slot end?",
            ));
            None
        }
    };
    if let (Some(s), Some(e)) = (start, end)
        && e <= s
    {
        errors.push(FieldError::new(
            "end",
            "out_of_range",
            "a slot ends after it starts",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let (start, end) = (start.unwrap_or_default(), end.unwrap_or_default());
    let overlapping = slot::Entity::find()
        .filter(slot::Column::EventId.eq(event_id))
        .filter(slot::Column::LocalDate.eq(date))
        .filter(slot::Column::StartMinute.lt(end))
        .filter(slot::Column::EndMinute.gt(start))
        .all(&txn)
        .await?
        .into_iter()
        .any(|s| Some(s.id) != existing);
    if overlapping {
        return Err(AppError::field(
            "start",
            "overlap",
            "this overlaps another slot on that day",
        ));
    }
    let label = match (&input.label, &current) {
        (Some(l), _) => {
            let mut errors = Vec::new();
            let label = crate::domain::optional_text(Some(l), "label", LABEL_MAX, &mut errors);
            if !errors.is_empty() {
                return Err(AppError::Validation(errors));
            }
            label
        }
        (None, Some(c)) => c.label.clone(),
        (None, None) => None,
    };
    let kind = input
        .kind
        .or_else(|| current.as_ref().map(|c| c.kind))
        .unwrap_or(SlotKind::Meeting);
    let to_err = |e| AppError::Validation(vec![e]);
    let mut active = match current {
        Some(c) => c.into(),
        None => slot::ActiveModel {
            id: Set(Uuid::now_v7()),
            event_id: Set(event_id),
            ..Default::default()
        },
    };
    active.local_date = Set(date);
    active.start_minute = Set(start);
    active.end_minute = Set(end);
    active.starts_at = Set(instant(tz, date, start, "start").map_err(to_err)?);
    active.ends_at = Set(instant(tz, date, end, "end").map_err(to_err)?);
    active.kind = Set(kind);
    active.label = Set(label);
    let model = if existing.is_some() {
        active.update(&txn).await?
    } else {
        active.insert(&txn).await?
    };
    txn.commit().await?;
    Ok(model.into())
}

/// Deletes one slot, with the marks of people who cannot meet in it and its cancelled
/// meetings; refused while scheduled meetings are in it (`holds::keep_slots_of_meetings`).
pub async fn delete(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    slot_id: Uuid,
) -> AppResult<()> {
    crate::db::retrying("deleting a slot", || async {
        let txn = crate::db::begin(&state.db).await?;
        access::organiser(&txn, by, event_id).await?;
        holds::keep_slots_of_meetings(&txn, event_id, &[slot_id]).await?;
        super::delete_in_event::<slot::Entity, _>(
            &txn,
            (slot::Column::Id, slot::Column::EventId),
            event_id,
            slot_id,
            "slot",
        )
        .await?;
        txn.commit().await?;
        Ok(())
    })
    .await
}

/// After a time-zone change: same local clock times, new instants (the meetings' calendar
/// SEQUENCE raised with them).
pub async fn reanchor<C: ConnectionTrait>(db: &C, event_id: Uuid, tz: Tz) -> AppResult<()> {
    let slots = slot::Entity::find()
        .filter(slot::Column::EventId.eq(event_id))
        .all(db)
        .await?;
    for s in slots {
        let (date, start, end) = (s.local_date, s.start_minute, s.end_minute);
        let mut active: slot::ActiveModel = s.into();
        active.starts_at =
            Set(instant(tz, date, start, "start").map_err(|e| AppError::Validation(vec![e]))?);
        active.ends_at =
            Set(instant(tz, date, end, "end").map_err(|e| AppError::Validation(vec![e]))?);
        active.update(db).await?;
    }
    // The meetings in those slots are at new instants: calendars must take them.
    crate::entities::meeting::Entity::update_many()
        .col_expr(
            crate::entities::meeting::Column::Sequence,
            sea_orm::sea_query::ExprTrait::add(
                sea_orm::sea_query::Expr::col(crate::entities::meeting::Column::Sequence),
                1,
            ),
        )
        .filter(crate::entities::meeting::Column::EventId.eq(event_id))
        .exec(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(h: i32, m: i32) -> i32 {
        h * 60 + m
    }

    #[test]
    fn a_break_interrupts_the_meetings() {
        let plan = plan_day(
            at(13, 0),
            at(17, 0),
            20,
            0,
            &[(at(15, 0), at(15, 20), Some("Coffee".into()))],
        );
        let meetings: Vec<_> = plan
            .iter()
            .filter(|p| p.kind == SlotKind::Meeting)
            .collect();
        assert_eq!(meetings.len(), 11);
        assert_eq!(
            plan[6],
            PlannedSlot {
                start: at(15, 0),
                end: at(15, 20),
                kind: SlotKind::Break,
                label: Some("Coffee".into())
            }
        );
        assert_eq!(plan.last().unwrap().end, at(17, 0));
    }

    #[test]
    fn meetings_never_run_into_a_break_or_past_the_end() {
        let plan = plan_day(at(9, 0), at(10, 0), 25, 5, &[(at(9, 40), at(9, 45), None)]);
        assert_eq!(
            plan.iter().map(|p| (p.start, p.end)).collect::<Vec<_>>(),
            vec![(at(9, 0), at(9, 25)), (at(9, 40), at(9, 45))]
        );
    }

    #[test]
    fn clock_times_round_trip() {
        assert_eq!(parse_clock("9:05", "start").unwrap(), 545);
        assert_eq!(clock(545), "09:05");
        assert_eq!(parse_clock(" 23:59 ", "end").unwrap(), 23 * 60 + 59);
        for bad in [
            "25:00", "24:00", "noon", "12:5", "123:00", "12:60", "-1:30", "+1:30", "", ":",
        ] {
            assert!(parse_clock(bad, "start").is_err(), "{bad:?}");
        }
    }
}
