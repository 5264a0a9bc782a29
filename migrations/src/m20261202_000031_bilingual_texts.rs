//! Texts that were written in one language only become a Dutch and an English field, like
//! titles and pitches: the event's description (`description_nl`, `description_en`), and in
//! factsheets the price model, the TCO statement, each claim's explanation and each
//! reference case's title and description.
//!
//! Nothing is lost: an existing text goes to the language it was most likely written in:
//! for an event its first language, for a factsheet the language of its titles (Dutch when
//! it has a Dutch title, else English). Readers of the other language see it as before,
//! because the app shows the other language where one is empty. Factsheet contents are JSON
//! in `factsheet.content`, `factsheet.published_content` and `factsheet_version.content`;
//! each is rewritten, and the versions' lists of changed fields follow. The search index
//! needs no rebuild: it already holds these words (stemmed both ways), and a factsheet is
//! indexed afresh at its next publication.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::ConnectionTrait;
use sea_orm_migration::sea_orm::prelude::Uuid;
use serde_json::{Map, Value};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Rows are rewritten in batches, so a large history never sits in memory at once.
const BATCH: u64 = 500;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("event")
                    .rename_column("description", "description_nl")
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("event")
                    .add_column(text("description_en").default(""))
                    .to_owned(),
            )
            .await?;
        // Assignments read the old values on both databases, so this moves the text.
        let english_first = Query::update()
            .table("event")
            .value("description_en", Expr::col("description_nl"))
            .value("description_nl", "")
            .and_where(Expr::col("languages").like("en%"))
            .to_owned();
        manager.get_connection().execute(&english_first).await?;
        let (factsheets, versions) = (["content", "published_content"], ["content"]);
        rewrite(manager, "factsheet", &factsheets, false, Step::Split).await?;
        rewrite(manager, "factsheet_version", &versions, true, Step::Split).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let (factsheets, versions) = (["content", "published_content"], ["content"]);
        rewrite(manager, "factsheet", &factsheets, false, Step::Join).await?;
        rewrite(manager, "factsheet_version", &versions, true, Step::Join).await?;
        let db = manager.get_connection();
        let both = Query::update()
            .table("event")
            // `||` joins texts on both databases.
            .value(
                "description_nl",
                Expr::cust("description_nl || ' / ' || description_en"),
            )
            .and_where(Expr::col("description_nl").ne(""))
            .and_where(Expr::col("description_en").ne(""))
            .to_owned();
        db.execute(&both).await?;
        let english = Query::update()
            .table("event")
            .value("description_nl", Expr::col("description_en"))
            .and_where(Expr::col("description_nl").eq(""))
            .to_owned();
        db.execute(&english).await?;
        manager
            .alter_table(
                Table::alter()
                    .table("event")
                    .drop_column("description_en")
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("event")
                    .rename_column("description_nl", "description")
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}

#[derive(Clone, Copy)]
enum Step {
    /// One text becomes a Dutch and an English one (up).
    Split,
    /// The two become one again (down), both kept where both were written.
    Join,
}

/// Rewrites the JSON `columns` of every row of `table`; with `versions`, also the row's
/// `changed_fields`.
async fn rewrite(
    manager: &SchemaManager<'_>,
    table: &'static str,
    columns: &[&'static str],
    versions: bool,
    step: Step,
) -> Result<(), DbErr> {
    let db = manager.get_connection();
    let mut read: Vec<&'static str> = vec!["id"];
    read.extend(columns);
    if versions {
        read.push("changed_fields");
    }
    let mut after: Option<Uuid> = None;
    loop {
        let mut select = Query::select();
        select
            .columns(read.iter().copied())
            .from(table)
            .order_by("id", Order::Asc)
            .limit(BATCH);
        if let Some(last) = after {
            select.and_where(Expr::col("id").gt(last));
        }
        let rows = db.query_all(&select).await?;
        let Some(last) = rows.last() else { break };
        after = Some(last.try_get::<Uuid>("", "id")?);
        for row in &rows {
            let id: Uuid = row.try_get("", "id")?;
            let mut update = Query::update();
            update.table(table).and_where(Expr::col("id").eq(id));
            let mut changed = false;
            let mut language = None;
            for column in columns {
                let Some(raw) = row.try_get::<Option<String>>("", column)? else {
                    continue;
                };
                let Ok(mut content) = serde_json::from_str::<Value>(&raw) else {
                    // Unreadable content was unreadable before too; leave it for the log.
                    continue;
                };
                let Some(object) = content.as_object_mut() else {
                    continue;
                };
                let lang = match step {
                    Step::Split => split_languages(object),
                    Step::Join => join_languages(object),
                };
                language.get_or_insert(lang);
                update.value(*column, content.to_string());
                changed = true;
            }
            if versions {
                let raw: String = row.try_get("", "changed_fields")?;
                if let Ok(fields) = serde_json::from_str::<Vec<String>>(&raw) {
                    let lang = language.unwrap_or("nl");
                    let mut renamed: Vec<String> = Vec::new();
                    for field in fields {
                        let field = match (step, field.as_str()) {
                            (Step::Split, "price_model" | "tco_statement") => {
                                format!("{field}_{lang}")
                            }
                            (Step::Join, f) if f.starts_with("price_model_") => {
                                "price_model".into()
                            }
                            (Step::Join, f) if f.starts_with("tco_statement_") => {
                                "tco_statement".into()
                            }
                            _ => field,
                        };
                        if !renamed.contains(&field) {
                            renamed.push(field);
                        }
                    }
                    update.value("changed_fields", Value::from(renamed).to_string());
                    changed = true;
                }
            }
            if changed {
                db.execute(&update).await?;
            }
        }
    }
    Ok(())
}

/// Moves the one-language texts of a factsheet's content to the language of its titles;
/// returns that language. Content already split is left as it is.
fn split_languages(content: &mut Map<String, Value>) -> &'static str {
    let has = |key: &str| {
        content
            .get(key)
            .and_then(Value::as_str)
            .is_some_and(|s| !s.trim().is_empty())
    };
    let lang = if has("title_nl") || !has("title_en") {
        "nl"
    } else {
        "en"
    };
    move_text(content, "price_model", lang);
    move_text(content, "tco_statement", lang);
    for (list, keys) in [
        ("claims", &["explanation"][..]),
        ("reference_cases", &["title", "description"][..]),
    ] {
        if let Some(Value::Array(items)) = content.get_mut(list) {
            for item in items.iter_mut().filter_map(Value::as_object_mut) {
                for key in keys {
                    move_text(item, key, lang);
                }
            }
        }
    }
    lang
}

/// The reverse of [`split_languages`]; returns the language of the titles.
fn join_languages(content: &mut Map<String, Value>) -> &'static str {
    join_text(content, "price_model");
    join_text(content, "tco_statement");
    for (list, keys) in [
        ("claims", &["explanation"][..]),
        ("reference_cases", &["title", "description"][..]),
    ] {
        if let Some(Value::Array(items)) = content.get_mut(list) {
            for item in items.iter_mut().filter_map(Value::as_object_mut) {
                for key in keys {
                    join_text(item, key);
                }
            }
        }
    }
    let dutch = content
        .get("title_nl")
        .and_then(Value::as_str)
        .is_some_and(|s| !s.is_empty());
    if dutch { "nl" } else { "en" }
}

/// `key_nl` and `key_en` become `key`: one of them, or both one after the other.
fn join_text(object: &mut Map<String, Value>, key: &str) {
    let nl = object.remove(&format!("{key}_nl"));
    let en = object.remove(&format!("{key}_en"));
    if nl.is_none() && en.is_none() {
        return;
    }
    let text = |v: Option<Value>| {
        v.as_ref()
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let (nl, en) = (text(nl), text(en));
    let joined = match (nl.is_empty(), en.is_empty()) {
        (false, false) => format!("{nl}\n\n{en}"),
        (true, _) => en,
        (false, true) => nl,
    };
    object.insert(key.to_string(), Value::from(joined));
}

/// `key` becomes `key_nl` or `key_en`, the other language empty.
fn move_text(object: &mut Map<String, Value>, key: &str, lang: &str) {
    let Some(value) = object.remove(key) else {
        return;
    };
    let other = if lang == "nl" { "en" } else { "nl" };
    object.insert(format!("{key}_{lang}"), value);
    object
        .entry(format!("{key}_{other}"))
        .or_insert_with(|| Value::from(""));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_move_to_the_language_of_the_titles() {
        let mut dutch: Map<String, Value> = serde_json::from_str(
            r#"{"title_nl": "Stoel", "title_en": "Chair", "price_model": "€ 10",
                "claims": [{"strategy": "A3", "explanation": "Hergebruik", "evidence": []}],
                "reference_cases": [{"title": "Stad", "client": "Gent", "description": "", "url": ""}]}"#,
        )
        .unwrap_or_default();
        assert_eq!(split_languages(&mut dutch), "nl");
        assert_eq!(dutch["price_model_nl"], "€ 10");
        assert_eq!(dutch["price_model_en"], "");
        assert!(!dutch.contains_key("price_model"));
        assert_eq!(dutch["claims"][0]["explanation_nl"], "Hergebruik");
        assert_eq!(dutch["reference_cases"][0]["title_nl"], "Stad");
        assert_eq!(dutch["reference_cases"][0]["client"], "Gent");

        let mut english: Map<String, Value> = serde_json::from_str(
            r#"{"title_nl": "", "title_en": "Chair", "tco_statement": "Cheaper"}"#,
        )
        .unwrap_or_default();
        assert_eq!(split_languages(&mut english), "en");
        assert_eq!(english["tco_statement_en"], "Cheaper");

        // Run twice, nothing changes the second time.
        let once = english.clone();
        split_languages(&mut english);
        assert_eq!(english, once);

        // Down again: one text per field, nothing lost.
        join_languages(&mut dutch);
        assert_eq!(dutch["price_model"], "€ 10");
        assert!(!dutch.contains_key("price_model_nl"));
        assert_eq!(dutch["claims"][0]["explanation"], "Hergebruik");
        let mut both: Map<String, Value> = serde_json::from_str(
            r#"{"title_nl": "Stoel", "price_model_nl": "€ 10", "price_model_en": "EUR 10"}"#,
        )
        .unwrap_or_default();
        join_languages(&mut both);
        assert_eq!(both["price_model"], "€ 10\n\nEUR 10");
    }
}
