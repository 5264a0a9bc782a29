//! CSV import of participants: every row is checked and listed with its problems, and
//! nothing is imported until the whole file is clean.

use std::collections::HashSet;

use axum::http::StatusCode;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::service::{Inviter, PersonInput, add_invited, event_default_lang};
use crate::domain::{Appointment, Email, Lang, Role};
use crate::entities::{participation, person};
use crate::error::{AppError, AppResult};
use crate::events::access;
use crate::state::AppState;

const MAX_ROWS: usize = 5000;

#[derive(Debug, Serialize, ToSchema, Clone)]
pub struct RowProblem {
    /// `missing_name`, `invalid_email`, `unknown_role`, `unknown_language`,
    /// `duplicate_in_file`, `already_in_event`, `wrong_column_count`, `too_long`.
    pub code: String,
    pub message: String,
}

#[derive(Debug, Serialize, ToSchema, Clone)]
pub struct PreviewRow {
    /// Line number in the file (the header is line 1).
    pub line: u64,
    pub name: String,
    pub email: String,
    pub organisation: String,
    pub role: String,
    pub language: String,
    pub problems: Vec<RowProblem>,
}

#[derive(Debug, Serialize, ToSchema, Clone)]
pub struct ImportPreview {
    pub total: usize,
    pub with_problems: usize,
    /// True when the file can be imported as it is.
    pub valid: bool,
    pub rows: Vec<PreviewRow>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportResult {
    pub imported: usize,
    pub invited: usize,
}

/// A row that passed every check, ready to import.
struct CleanRow {
    input: PersonInput,
    role: Role,
}

#[derive(Clone, Copy, PartialEq)]
enum Column {
    Name,
    Email,
    Organisation,
    Role,
    Language,
    JobTitle,
    Phone,
}

fn column(header: &str) -> Option<Column> {
    match header
        .trim()
        .trim_start_matches('\u{feff}')
        .to_lowercase()
        .replace(['_', '-'], " ")
        .as_str()
    {
        "name" | "naam" | "full name" | "volledige naam" => Some(Column::Name),
        "email" | "e mail" | "mail" | "email address" | "e mailadres" | "emailadres" => {
            Some(Column::Email)
        }
        "organisation" | "organization" | "organisatie" | "company" | "bedrijf" => {
            Some(Column::Organisation)
        }
        "role" | "rol" => Some(Column::Role),
        "language" | "taal" | "lang" => Some(Column::Language),
        "job title" | "functie" | "title" => Some(Column::JobTitle),
        "phone" | "telefoon" | "gsm" | "tel" => Some(Column::Phone),
        _ => None,
    }
}

fn problem(code: &str, message: &str) -> RowProblem {
    RowProblem {
        code: code.into(),
        message: message.into(),
    }
}

fn bad_file(message: impl Into<String>) -> AppError {
    AppError::coded(StatusCode::UNPROCESSABLE_ENTITY, "invalid_csv", message)
}

/// Checks the file against the event. Returns the preview and, if it is clean, the rows.
async fn check<C: ConnectionTrait>(
    db: &C,
    event: &crate::entities::event::Model,
    text: &str,
) -> AppResult<(ImportPreview, Vec<CleanRow>)> {
    let text = text.trim_start_matches('\u{feff}');
    let first_line = text.lines().next().unwrap_or("");
    if first_line.trim().is_empty() {
        return Err(bad_file(
            "the file is empty; the first line must name the columns (name, email, ...)",
        ));
    }
    let delimiter = if first_line.matches(';').count() > first_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| bad_file(format!("cannot read the header line: {e}")))?
        .clone();
    let columns: Vec<Option<Column>> = headers.iter().map(column).collect();
    for (required, label) in [(Column::Name, "name"), (Column::Email, "email")] {
        if !columns.contains(&Some(required)) {
            return Err(bad_file(format!("the header line has no `{label}` column")));
        }
    }
    let default_lang = event_default_lang(event);
    let existing_emails: HashSet<String> = {
        let rows = participation::Entity::find()
            .filter(participation::Column::EventId.eq(event.id))
            .all(db)
            .await?;
        person::Entity::find()
            .filter(person::Column::Id.is_in(rows.iter().map(|r| r.person_id)))
            .all(db)
            .await?
            .into_iter()
            .map(|p| p.email)
            .collect()
    };
    let mut seen = HashSet::new();
    let mut rows = Vec::new();
    let mut clean = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| bad_file(format!("the file is not valid CSV: {e}")))?;
        if record.iter().all(|f| f.is_empty()) {
            continue;
        }
        if rows.len() >= MAX_ROWS {
            return Err(bad_file(format!(
                "at most {MAX_ROWS} rows per file; split the file"
            )));
        }
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let get = |col: Column| -> String {
            columns
                .iter()
                .position(|c| *c == Some(col))
                .and_then(|i| record.get(i))
                .unwrap_or("")
                .to_string()
        };
        let mut problems = Vec::new();
        // A stray quote makes the CSV reader swallow the following lines into one field.
        if record.iter().any(|f| f.contains(['\n', '\r'])) {
            problems.push(problem(
                "line_break_in_field",
                "a value runs over several lines (a quote \" that is never closed?)",
            ));
        }
        if record.len() != headers.len() {
            problems.push(problem(
                "wrong_column_count",
                &format!(
                    "{} values where the header has {} columns",
                    record.len(),
                    headers.len()
                ),
            ));
        }
        let input = PersonInput {
            name: get(Column::Name),
            email: get(Column::Email),
            organisation: Some(get(Column::Organisation)),
            job_title: Some(get(Column::JobTitle)),
            phone: Some(get(Column::Phone)),
            language: Some(get(Column::Language)),
        };
        let mut field_errors = Vec::new();
        input.check(default_lang, &mut field_errors);
        for e in field_errors {
            let code = match (e.field.as_str(), e.code.as_str()) {
                ("name", "required") => "missing_name",
                ("email", _) => "invalid_email",
                ("language", _) => "unknown_language",
                (_, code) => {
                    if code == "too_long" {
                        "too_long"
                    } else {
                        "invalid_value"
                    }
                }
            };
            problems.push(problem(code, &format!("{}: {}", e.field, e.message)));
        }
        let role_text = get(Column::Role);
        let role = if role_text.is_empty() {
            Some(Role::Buyer)
        } else {
            Role::parse(&role_text)
        };
        if role.is_none() {
            problems.push(problem(
                "unknown_role",
                "role must be buyer, supplier, facilitator or organiser",
            ));
        }
        if let Ok(email) = Email::parse(&input.email) {
            if !seen.insert(email.as_str().to_string()) {
                problems.push(problem(
                    "duplicate_in_file",
                    "this email address appears more than once in the file",
                ));
            }
            if existing_emails.contains(email.as_str()) {
                problems.push(problem(
                    "already_in_event",
                    "this person already takes part in the event",
                ));
            }
        }
        let raw_language = get(Column::Language);
        let language = if raw_language.trim().is_empty() {
            default_lang.code().to_string()
        } else {
            Lang::parse(&raw_language)
                .map(|l| l.code().to_string())
                .unwrap_or(raw_language)
        };
        rows.push(PreviewRow {
            line,
            name: input.name.trim().to_string(),
            email: input.email.trim().to_string(),
            organisation: get(Column::Organisation),
            role: role.map(|r| r.as_str().to_string()).unwrap_or(role_text),
            language,
            problems: problems.clone(),
        });
        if problems.is_empty()
            && let Some(role) = role
        {
            clean.push(CleanRow { input, role });
        }
    }
    if rows.is_empty() {
        return Err(bad_file("the file has a header line but no rows"));
    }
    let with_problems = rows.iter().filter(|r| !r.problems.is_empty()).count();
    Ok((
        ImportPreview {
            total: rows.len(),
            with_problems,
            valid: with_problems == 0,
            rows,
        },
        clean,
    ))
}

pub async fn preview(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    text: &str,
) -> AppResult<ImportPreview> {
    let event = access::organiser(&state.db, by, event_id).await?.event;
    Ok(check(&state.db, &event, text).await?.0)
}

/// Imports every row and queues the invitations, all in one transaction; any problem and
/// nothing is imported.
pub async fn import(
    state: &AppState,
    by: &person::Model,
    event_id: Uuid,
    text: &str,
) -> AppResult<ImportResult> {
    let txn = crate::db::begin(&state.db).await?;
    let event = access::organiser(&txn, by, event_id).await?.event;
    let (preview, clean) = check(&txn, &event, text).await?;
    if !preview.valid {
        return Err(AppError::Coded {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "import_has_problems",
            message: format!(
                "{} of {} rows have problems; nothing was imported",
                preview.with_problems, preview.total
            ),
            details: Some(serde_json::to_value(&preview).map_err(anyhow::Error::from)?),
        });
    }
    let mut errors = Vec::new();
    // Organisations this file founds: its later rows naming one of them join it.
    let mut founded = crate::organisations::service::Batch::new();
    for row in &clean {
        let fields = row
            .input
            .check(event_default_lang(&event), &mut errors)
            .ok_or_else(|| bad_file("a row changed while importing"))?;
        let inviter = Inviter {
            by,
            how: Appointment::Import,
            batch: Some(&mut founded),
        };
        add_invited(&txn, state, &event, &fields, row.role, true, inviter).await?;
    }
    txn.commit().await?;
    state.mail.wake();
    tracing::info!(%event_id, rows = clean.len(), "participants imported");
    Ok(ImportResult {
        imported: clean.len(),
        invited: clean.len(),
    })
}
