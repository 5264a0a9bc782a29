//! Orphaned uploads: rows no factsheet refers to (not its draft, its published copy nor any
//! version in its history) once older than `housekeeping.orphan_upload_hours`, and files
//! under `data_dir/uploads/` that no upload row names any more.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::time::SystemTime;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, Condition, DbErr, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::entities::{factsheet, factsheet_version, upload};
use crate::state::AppState;

/// Returns (upload rows removed, files removed).
pub(super) async fn remove_orphans(
    state: &AppState,
    now: DateTime<Utc>,
) -> Result<(u64, u64), DbErr> {
    let cutoff = now - Duration::hours(state.settings.housekeeping.orphan_upload_hours);
    let rows = remove_rows(state, cutoff).await?;
    let files = remove_files(state, cutoff).await?;
    Ok((rows, files))
}

async fn remove_rows(state: &AppState, cutoff: DateTime<Utc>) -> Result<u64, DbErr> {
    let old: Vec<(Uuid, Uuid)> = upload::Entity::find()
        .select_only()
        .columns([upload::Column::Id, upload::Column::EventId])
        .filter(upload::Column::CreatedAt.lt(cutoff))
        .into_tuple()
        .all(&state.db)
        .await?;
    let mut by_event: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for (id, event_id) in old {
        by_event.entry(event_id).or_default().push(id);
    }
    let mut removed = 0;
    for (event_id, candidates) in by_event {
        let referenced = referenced_in_event(state, event_id).await?;
        let orphans: Vec<Uuid> = candidates
            .into_iter()
            .filter(|id| !referenced.contains(id))
            .collect();
        for chunk in orphans.chunks(500) {
            removed += upload::Entity::delete_many()
                .filter(upload::Column::Id.is_in(chunk.iter().copied()))
                .filter(upload::Column::CreatedAt.lt(cutoff))
                .exec(&state.db)
                .await?
                .rows_affected;
        }
    }
    Ok(removed)
}

/// Every id mentioned anywhere in the event's factsheets and their histories. Reading all
/// ids from the JSON, rather than the fields that hold uploads today, keeps a file that a
/// future field refers to.
async fn referenced_in_event(state: &AppState, event_id: Uuid) -> Result<HashSet<Uuid>, DbErr> {
    let sheets: Vec<(Uuid, String, Option<String>)> = factsheet::Entity::find()
        .select_only()
        .columns([
            factsheet::Column::Id,
            factsheet::Column::Content,
            factsheet::Column::PublishedContent,
        ])
        .filter(factsheet::Column::EventId.eq(event_id))
        .into_tuple()
        .all(&state.db)
        .await?;
    let mut ids = HashSet::new();
    let mut sheet_ids = Vec::with_capacity(sheets.len());
    for (id, content, published) in sheets {
        sheet_ids.push(id);
        collect_ids(&content, &mut ids);
        if let Some(published) = published {
            collect_ids(&published, &mut ids);
        }
    }
    for chunk in sheet_ids.chunks(500) {
        let versions: Vec<String> = factsheet_version::Entity::find()
            .select_only()
            .column(factsheet_version::Column::Content)
            .filter(factsheet_version::Column::FactsheetId.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(&state.db)
            .await?;
        for content in versions {
            collect_ids(&content, &mut ids);
        }
    }
    Ok(ids)
}

fn collect_ids(json: &str, into: &mut HashSet<Uuid>) {
    fn walk(value: &serde_json::Value, into: &mut HashSet<Uuid>) {
        match value {
            serde_json::Value::String(s) if s.len() == 36 => {
                if let Ok(id) = Uuid::parse_str(s) {
                    into.insert(id);
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, into)),
            serde_json::Value::Object(map) => map.values().for_each(|v| walk(v, into)),
            _ => {}
        }
    }
    match serde_json::from_str::<serde_json::Value>(json) {
        Ok(value) => walk(&value, into),
        // Unreadable content cannot say which files it needs: keep every file whose id
        // appears in its text.
        Err(_) => {
            for word in json.split(|c: char| !(c.is_ascii_hexdigit() || c == '-')) {
                if let Ok(id) = Uuid::parse_str(word) {
                    into.insert(id);
                }
            }
        }
    }
}

/// Removes files (and temporary files of interrupted writes) older than `cutoff` whose
/// hash no upload row names. Every instance must share `data_dir/uploads` (downloads need
/// that too), so the one instance that runs housekeeping sees all files.
async fn remove_files(state: &AppState, cutoff: DateTime<Utc>) -> Result<u64, DbErr> {
    let root = state.settings.data_dir.join("uploads");
    let cutoff = SystemTime::from(cutoff);
    let Ok(candidates) = tokio::task::spawn_blocking(move || old_files(&root, cutoff)).await else {
        return Ok(0);
    };
    let mut removed = 0;
    for (path, sha) in candidates {
        // Asked per file just before removing it, so a row written meanwhile (the same
        // bytes uploaded again) keeps its file.
        if let Some(sha) = &sha {
            let named = upload::Entity::find()
                .filter(
                    Condition::any()
                        .add(upload::Column::Sha256.eq(sha.as_str()))
                        .add(upload::Column::ThumbSha256.eq(sha.as_str())),
                )
                .one(&state.db)
                .await?;
            if named.is_some() {
                continue;
            }
        }
        match tokio::fs::remove_file(&path).await {
            Ok(()) => removed += 1,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => {
                tracing::warn!(path = %path.display(), error = %err, "cannot remove an orphaned upload file")
            }
        }
    }
    Ok(removed)
}

/// Files under `root/xx/` last written before `cutoff`, with the hash their name is (None
/// for a leftover temporary file, which is removed regardless).
fn old_files(root: &Path, cutoff: SystemTime) -> Vec<(std::path::PathBuf, Option<String>)> {
    let mut found = Vec::new();
    let Ok(dirs) = std::fs::read_dir(root) else {
        return found;
    };
    for dir in dirs.flatten() {
        let Ok(files) = std::fs::read_dir(dir.path()) else {
            continue;
        };
        for file in files.flatten() {
            let old = file
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|modified| modified < cutoff);
            if !old {
                continue;
            }
            let name = file.file_name().to_string_lossy().into_owned();
            let is_hash = name.len() == 64 && name.bytes().all(|b| b.is_ascii_hexdigit());
            if is_hash {
                found.push((file.path(), Some(name)));
            } else if name.starts_with('.') {
                found.push((file.path(), None));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_in_the_content_counts_as_a_reference() {
        let logo = Uuid::now_v7();
        let evidence = Uuid::now_v7();
        let mut found = HashSet::new();
        collect_ids(
            &format!(
                r#"{{"logo_upload_id": "{logo}", "claims": [{{"evidence": [{{"upload_id": "{evidence}"}}]}}], "title_nl": "Stoel"}}"#
            ),
            &mut found,
        );
        assert_eq!(found, HashSet::from([logo, evidence]));

        // Content that is not JSON keeps whatever ids its text mentions.
        let mut found = HashSet::new();
        collect_ids(&format!("{{broken \"{logo}\", "), &mut found);
        assert_eq!(found, HashSet::from([logo]));
    }
}
