//! The OpenAPI document at /api/openapi.json: valid by an independent validator, and
//! complete: every route the router serves is in it, with its path parameters declared.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use serde_json::{Map, Value, json};

use crate::helpers::TestApp;

/// Routes served on purpose without an entry in the document.
const UNDOCUMENTED: [&str; 1] = ["/api/openapi.json"];

async fn document(app: &TestApp) -> Value {
    let response = reqwest::get(app.url("/api/openapi.json")).await.unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::OK);
    response.json().await.unwrap()
}

/// Runs Python's `openapi-spec-validator` (scripts/test installs it). A missing validator
/// fails the test: it must never pass unchecked.
#[tokio::test]
async fn the_document_passes_openapi_spec_validator() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    assert_eq!(doc["openapi"], "3.1.0");
    let file = app.dir.path().join("openapi.json");
    std::fs::write(&file, serde_json::to_vec_pretty(&doc).unwrap()).unwrap();
    let output = Command::new("python3")
        .args(["-m", "openapi_spec_validator"])
        .arg(&file)
        .output()
        .expect("python3 is needed to validate the OpenAPI document (scripts/test)");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        !said.contains("No module named"),
        "openapi-spec-validator is not installed: `python3 -m pip install openapi-spec-validator` (scripts/test does it)\n{said}"
    );
    assert!(output.status.success(), "the document is invalid:\n{said}");
    assert!(said.contains(": OK"), "{said}");
}

/// `{name}` segments of a path template.
fn template_parameters(path: &str) -> BTreeSet<String> {
    path.split('/')
        .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
        .map(str::to_string)
        .collect()
}

/// Each route of the router with its methods, read from the router's `Debug` output (axum
/// has no API to list routes). Parsing is strict enough to fail loudly if that output
/// ever changes shape.
fn routes_of(router: &axum::Router) -> BTreeMap<String, BTreeSet<String>> {
    let text = format!("{router:?}");
    // The node's map: `RouteId(3): "/api/events/{event_id}"`.
    let paths_at = text
        .find("paths: {")
        .expect("axum's Router Debug output changed: no `paths: {`");
    let mut paths = BTreeMap::new();
    for entry in text[paths_at + 8..].split("RouteId(").skip(1) {
        let Some((id, rest)) = entry.split_once("): \"") else {
            break;
        };
        let Some((path, _)) = rest.split_once('"') else {
            break;
        };
        paths.insert(id.to_string(), path.to_string());
        if !rest[path.len() + 1..].trim_start().starts_with(',') {
            break;
        }
    }
    // The endpoints: `RouteId(3): MethodRouter(MethodRouter { get: Route(..), head: None, ...`.
    let mut routes = BTreeMap::new();
    for (id, path) in &paths {
        let start = text
            .find(&format!("RouteId({id}): MethodRouter(MethodRouter {{"))
            .unwrap_or_else(|| panic!("no method router for {path} in the Debug output"));
        let body = &text[start..];
        let end = body.find("allow_header").unwrap_or(body.len());
        let methods = [
            "get", "head", "delete", "options", "patch", "post", "put", "trace",
        ]
        .into_iter()
        .filter(|m| {
            body[..end]
                .split(&format!(" {m}: "))
                .nth(1)
                .is_some_and(|v| !v.starts_with("None"))
        })
        .map(str::to_string)
        .collect();
        routes.insert(path.clone(), methods);
    }
    routes
}

#[tokio::test]
async fn every_route_is_documented_with_its_parameters() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    let paths = doc["paths"].as_object().unwrap();

    // Router -> document: every route and method the server answers is described.
    let routes = routes_of(&matchfloor::app::router(app.state.clone()));
    assert!(
        routes.len() >= 40,
        "too few routes read from the router: {routes:?}"
    );
    let mut missing = Vec::new();
    for (path, methods) in &routes {
        if UNDOCUMENTED.contains(&path.as_str()) {
            continue;
        }
        for method in methods {
            // axum answers HEAD for every GET route by itself.
            if method == "head" && methods.contains("get") {
                continue;
            }
            if paths.get(path).and_then(|p| p.get(method)).is_none() {
                missing.push(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "routes without an OpenAPI description (register them with utoipa_axum's routes!, see docs/api.md): {missing:?}"
    );

    // Document -> router, and each operation's parameters.
    let mut problems = Vec::new();
    let mut operation_ids = BTreeMap::<String, String>::new();
    for (path, item) in paths {
        if !routes.contains_key(path) {
            problems.push(format!("{path} is documented but not routed"));
        }
        for (method, operation) in item.as_object().unwrap() {
            let name = format!("{} {path}", method.to_uppercase());
            let parameters = operation["parameters"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let declared: BTreeSet<String> = parameters
                .iter()
                .filter(|p| p["in"] == "path")
                .map(|p| p["name"].as_str().unwrap().to_string())
                .collect();
            let wanted = template_parameters(path);
            if declared != wanted {
                problems.push(format!(
                    "{name}: path parameters {declared:?}, the path has {wanted:?}"
                ));
            }
            for p in &parameters {
                if p["in"] == "path" && p["required"] != true {
                    problems.push(format!(
                        "{name}: path parameter {} is not required",
                        p["name"]
                    ));
                }
            }
            let mut seen = BTreeSet::new();
            for p in &parameters {
                if !seen.insert((p["name"].to_string(), p["in"].to_string())) {
                    problems.push(format!("{name}: parameter {} declared twice", p["name"]));
                }
            }
            match operation["operationId"].as_str() {
                Some(id) => {
                    if let Some(other) = operation_ids.insert(id.to_string(), name.clone()) {
                        problems.push(format!("{name} and {other} share operationId {id}"));
                    }
                }
                None => problems.push(format!("{name} has no operationId")),
            }
            let responses = operation["responses"].as_object().unwrap();
            if !responses
                .keys()
                .any(|s| s.starts_with('1') || s.starts_with('2'))
            {
                problems.push(format!("{name} documents no success answer"));
            }
            let anonymous = operation["security"].as_array().is_some_and(|r| {
                r.iter()
                    .any(|r| r.as_object().is_some_and(|o| o.is_empty()))
            });
            if !anonymous && !responses.contains_key("401") {
                problems.push(format!("{name} needs a login but documents no 401"));
            }
        }
    }
    // Every reference points at something that exists.
    let text = doc.to_string();
    for reference in text.split("\"$ref\":\"").skip(1) {
        let target = reference.split('"').next().unwrap();
        let pointer = target.trim_start_matches('#');
        if doc.pointer(pointer).is_none() {
            problems.push(format!("{target} is referenced but missing"));
        }
    }
    problems.sort();
    problems.dedup();
    assert!(problems.is_empty(), "{problems:#?}");
}

#[tokio::test]
async fn shared_answers_and_bounds_are_documented() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    let operation = |method: &str, path: &str| doc["paths"][path][method].clone();

    // A JSON body: malformed JSON, wrong Content-Type, too large, wrong values.
    let create = operation("post", "/api/events/{event_id}/factsheets");
    for status in ["400", "401", "403", "404", "413", "415", "422"] {
        assert!(
            create["responses"].get(status).is_some(),
            "POST factsheets lacks {status}"
        );
    }
    // A CSV body sent as something else is refused with 415 too.
    let import = operation("post", "/api/events/{event_id}/participants/import");
    assert!(import["responses"].get("415").is_some());
    // Anonymous endpoints do not claim a 401; the public catalogue takes a session too.
    let catalogue = operation("get", "/api/events/{event_id}/catalogue");
    assert!(catalogue["responses"].get("401").is_none());
    assert_eq!(
        catalogue["security"],
        serde_json::json!([{}, {"session": []}])
    );
    assert!(
        operation("post", "/api/auth/login-link")["responses"]
            .get("401")
            .is_none()
    );
    assert_eq!(doc["security"], serde_json::json!([{"session": []}]));
    assert_eq!(
        doc["components"]["securitySchemes"]["session"]["in"],
        "cookie"
    );

    // Query parameters are in the query, with the bounds the server enforces.
    let parameters = catalogue["parameters"].as_array().unwrap();
    let page = parameters.iter().find(|p| p["name"] == "page").unwrap();
    assert_eq!(page["in"], "query");
    assert_eq!(page["schema"]["minimum"], 1);
    let per_page = parameters.iter().find(|p| p["name"] == "per_page").unwrap();
    assert_eq!(per_page["schema"]["maximum"], 100);
    let upload = operation("post", "/api/events/{event_id}/uploads");
    let purpose = upload["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "purpose")
        .unwrap();
    assert_eq!(purpose["in"], "query");
    assert_eq!(
        purpose["schema"]["enum"],
        serde_json::json!(["logo", "image", "document"])
    );
}

/// Every bound of `bounds::rules()` is in the served document: stating them all again
/// finds each place and changes nothing.
#[tokio::test]
async fn every_bound_of_the_table_is_in_the_document() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    let mut again = doc.clone();
    let problems = matchfloor::bounds::state_in(&mut again);
    assert!(problems.is_empty(), "bounds without a place: {problems:#?}");
    assert!(
        again == doc,
        "the served document lacks bounds of src/bounds.rs"
    );
}

/// The schemas that together describe a value: itself, what its `$ref` points at and the
/// members of its `allOf` and `oneOf`, recursively.
fn parts<'a>(doc: &'a Value, schema: &'a Value) -> Vec<&'a Value> {
    let mut out = Vec::new();
    let mut todo = vec![schema];
    while let Some(schema) = todo.pop() {
        if let Some(target) = schema["$ref"].as_str() {
            todo.push(doc.pointer(target.trim_start_matches('#')).unwrap());
        }
        if let Some(all) = schema["allOf"].as_array() {
            todo.extend(all);
        }
        // An optional body or value: its schema, or `null`.
        if let Some(one) = schema["oneOf"].as_array() {
            todo.extend(one);
        }
        out.push(schema);
    }
    out
}

/// What the document says of one field of an operation's JSON body (`breaks[].label`
/// steps into a list's items) or of one of its query parameters (`?page`): every schema
/// describing it, and whether it is required.
fn stated(doc: &Value, method: &str, path: &str, field: &str) -> (Vec<Map<String, Value>>, bool) {
    let operation = &doc["paths"][path][method];
    assert!(operation.is_object(), "no operation {method} {path}");
    if let Some(name) = field.strip_prefix('?') {
        let parameter = operation["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name && p["in"] == "query")
            .unwrap_or_else(|| panic!("{method} {path} has no query parameter {name}"));
        let schemas = parts(doc, &parameter["schema"])
            .into_iter()
            .filter_map(|s| s.as_object().cloned())
            .collect();
        return (schemas, parameter["required"] == true);
    }
    let mut schemas = parts(
        doc,
        &operation["requestBody"]["content"]["application/json"]["schema"],
    );
    let mut required = false;
    for step in field.split('.') {
        let (name, items) = match step.strip_suffix("[]") {
            Some(name) => (name, true),
            None => (step, false),
        };
        required = schemas.iter().any(|s| {
            s["required"]
                .as_array()
                .is_some_and(|r| r.iter().any(|f| f == name))
        });
        let mut next: Vec<&Value> = schemas
            .iter()
            .filter_map(|s| s["properties"].get(name))
            .flat_map(|s| parts(doc, s))
            .collect();
        if items {
            next = next
                .iter()
                .filter_map(|s| s.get("items"))
                .flat_map(|s| parts(doc, s))
                .collect();
        }
        assert!(!next.is_empty(), "{method} {path}: no field {field}");
        schemas = next;
    }
    let schemas = schemas
        .into_iter()
        .filter_map(|s| s.as_object().cloned())
        .collect();
    (schemas, required)
}

/// The bounds the server enforces, with the constants its validators use, are in the
/// document where a client looks for them: a bound missing or different fails here.
#[tokio::test]
async fn the_enforced_bounds_are_stated_with_the_validators_constants() {
    use matchfloor::bounds::*;
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    let range = |r: &std::ops::RangeInclusive<i32>| (json!(r.start()), json!(r.end()));
    let events = "/api/events/{event_id}";
    let (capacity_min, capacity_max) = range(&ROOM_CAPACITY);
    let (number_min, number_max) = range(&TABLE_NUMBER);
    let (count_min, count_max) = range(&TABLE_COUNT);
    let (slot_min, slot_max) = range(&SLOT_MINUTES);
    let (gap_min, gap_max) = range(&GAP_MINUTES);
    // (method, path, field, keyword, value)
    let table: Vec<(&str, String, &str, &str, Value)> = vec![
        (
            "post",
            format!("{events}/rooms"),
            "capacity",
            "minimum",
            capacity_min,
        ),
        (
            "post",
            format!("{events}/rooms"),
            "capacity",
            "maximum",
            capacity_max,
        ),
        (
            "post",
            format!("{events}/rooms"),
            "name",
            "maxLength",
            json!(ROOM_NAME_MAX),
        ),
        (
            "post",
            format!("{events}/rooms"),
            "name",
            "minLength",
            json!(1),
        ),
        (
            "post",
            format!("{events}/tables"),
            "number",
            "minimum",
            number_min,
        ),
        (
            "post",
            format!("{events}/tables"),
            "number",
            "maximum",
            number_max,
        ),
        (
            "post",
            format!("{events}/tables"),
            "label",
            "maxLength",
            json!(LABEL_MAX),
        ),
        (
            "put",
            format!("{events}/tables"),
            "count",
            "minimum",
            count_min,
        ),
        (
            "put",
            format!("{events}/tables"),
            "count",
            "maximum",
            count_max,
        ),
        (
            "post",
            format!("{events}/slots/generate"),
            "slot_minutes",
            "minimum",
            slot_min,
        ),
        (
            "post",
            format!("{events}/slots/generate"),
            "slot_minutes",
            "maximum",
            slot_max,
        ),
        (
            "post",
            format!("{events}/slots/generate"),
            "gap_minutes",
            "minimum",
            gap_min,
        ),
        (
            "post",
            format!("{events}/slots/generate"),
            "gap_minutes",
            "maximum",
            gap_max,
        ),
        (
            "post",
            format!("{events}/slots/generate"),
            "start",
            "pattern",
            json!(trimmed(CLOCK)),
        ),
        (
            "post",
            format!("{events}/slots/generate"),
            "breaks[].end",
            "pattern",
            json!(trimmed(CLOCK)),
        ),
        (
            "post",
            format!("{events}/slots/generate"),
            "breaks[].label",
            "maxLength",
            json!(LABEL_MAX),
        ),
        (
            "patch",
            format!("{events}/slots/{{slot_id}}"),
            "start",
            "pattern",
            json!(trimmed(CLOCK)),
        ),
        (
            "post",
            format!("{events}/schedule/runs/{{run_id}}/what-if"),
            "count",
            "maximum",
            json!(WHATIF_COUNT.end()),
        ),
        (
            "post",
            format!("{events}/schedule/runs/{{run_id}}/what-if"),
            "minutes",
            "minimum",
            json!(WHATIF_MINUTES.start()),
        ),
        (
            "post",
            format!("{events}/schedule/runs/{{run_id}}/what-if"),
            "time_limit_seconds",
            "maximum",
            json!(WHATIF_TIME_LIMIT_SECONDS.end()),
        ),
        (
            "post",
            "/api/events".into(),
            "name",
            "maxLength",
            json!(EVENT_NAME_MAX),
        ),
        ("post", "/api/events".into(), "name", "minLength", json!(1)),
        (
            "post",
            "/api/events".into(),
            "languages",
            "minItems",
            json!(1),
        ),
        (
            "post",
            "/api/events".into(),
            "languages[]",
            "enum",
            json!(["nl", "en"]),
        ),
        (
            "post",
            "/api/events".into(),
            "venue",
            "maxLength",
            json!(VENUE_MAX),
        ),
        (
            "post",
            "/api/events".into(),
            "description_en",
            "maxLength",
            json!(EVENT_DESCRIPTION_MAX),
        ),
        (
            "patch",
            events.into(),
            "slug",
            "pattern",
            json!(trimmed(&slug())),
        ),
        (
            "post",
            format!("{events}/taxonomy"),
            "code",
            "maxLength",
            json!(TERM_CODE_MAX),
        ),
        (
            "post",
            format!("{events}/taxonomy"),
            "name_nl",
            "maxLength",
            json!(TERM_NAME_MAX),
        ),
        (
            "patch",
            "/api/me".into(),
            "name",
            "maxLength",
            json!(PERSON_NAME_MAX),
        ),
        (
            "patch",
            "/api/me".into(),
            "name",
            "pattern",
            json!(text_pattern(matchfloor::domain::Lines::One, true)),
        ),
        (
            "patch",
            "/api/me".into(),
            "phone",
            "maxLength",
            json!(PHONE_MAX),
        ),
        (
            "patch",
            "/api/me".into(),
            "organisation",
            "maxLength",
            json!(ORGANISATION_NAME_MAX),
        ),
        (
            "post",
            "/api/auth/login-link".into(),
            "email",
            "maxLength",
            json!(EMAIL_MAX),
        ),
        (
            "post",
            "/api/auth/login-link".into(),
            "next",
            "maxLength",
            json!(NEXT_PATH_MAX),
        ),
        (
            "post",
            format!("{events}/participants"),
            "email",
            "pattern",
            json!(trimmed(&email())),
        ),
        (
            "post",
            format!("{events}/participants"),
            "job_title",
            "maxLength",
            json!(JOB_TITLE_MAX),
        ),
        (
            "post",
            "/api/public/events/{slug}/registrations".into(),
            "role",
            "enum",
            json!(["buyer", "supplier"]),
        ),
        (
            "post",
            "/api/public/events/{slug}/registrations".into(),
            "organisation",
            "minLength",
            json!(1),
        ),
        (
            "post",
            format!("{events}/factsheets"),
            "title_nl",
            "maxLength",
            json!(FACTSHEET_TITLE_MAX),
        ),
        (
            "post",
            format!("{events}/factsheets"),
            "pitch_en",
            "maxLength",
            json!(PITCH_MAX),
        ),
        (
            "post",
            format!("{events}/factsheets"),
            "description_nl",
            "maxLength",
            json!(FACTSHEET_DESCRIPTION_MAX),
        ),
        (
            "post",
            format!("{events}/factsheets"),
            "price_model_nl",
            "maxLength",
            json!(PRICE_MODEL_MAX),
        ),
        (
            "post",
            format!("{events}/factsheets"),
            "tco_statement_en",
            "maxLength",
            json!(TCO_STATEMENT_MAX),
        ),
        (
            "post",
            format!("{events}/factsheets"),
            "contact_name",
            "maxLength",
            json!(SHORT_TEXT_MAX),
        ),
        (
            "post",
            format!("{events}/factsheets"),
            "website",
            "maxLength",
            json!(WEB_ADDRESS_MAX),
        ),
        (
            "post",
            format!("{events}/factsheets"),
            "claims",
            "maxItems",
            json!(MAX_CLAIMS),
        ),
        (
            "post",
            format!("{events}/factsheets"),
            "claims[].explanation_nl",
            "maxLength",
            json!(CLAIM_EXPLANATION_MAX),
        ),
        (
            "post",
            format!("{events}/factsheets"),
            "claims[].evidence",
            "maxItems",
            json!(MAX_EVIDENCE),
        ),
        (
            "post",
            format!("{events}/factsheets"),
            "claims[].evidence[].title",
            "minLength",
            json!(1),
        ),
        (
            "post",
            format!("{events}/factsheets"),
            "reference_cases",
            "maxItems",
            json!(MAX_REFERENCE_CASES),
        ),
        (
            "post",
            format!("{events}/factsheets"),
            "reference_cases[].description_en",
            "maxLength",
            json!(CASE_DESCRIPTION_MAX),
        ),
        (
            "put",
            format!("{events}/factsheets/{{factsheet_id}}"),
            "image_upload_ids",
            "maxItems",
            json!(MAX_IMAGES),
        ),
        (
            "post",
            format!("{events}/factsheets/{{factsheet_id}}/review"),
            "decision",
            "enum",
            json!(["approve", "return"]),
        ),
        (
            "post",
            format!("{events}/factsheets/{{factsheet_id}}/review"),
            "comment",
            "maxLength",
            json!(REVIEW_COMMENT_MAX),
        ),
        (
            "put",
            format!("{events}/factsheets/{{factsheet_id}}/stand"),
            "stand",
            "maxLength",
            json!(STAND_MAX),
        ),
        (
            "put",
            format!("{events}/needs/me"),
            "project_what",
            "maxLength",
            json!(PROJECT_WHAT_MAX),
        ),
        (
            "put",
            format!("{events}/needs/me"),
            "project_when",
            "maxLength",
            json!(PROJECT_WHEN_MAX),
        ),
        (
            "put",
            format!("{events}/needs/me"),
            "budget_min",
            "minimum",
            json!(0),
        ),
        (
            "post",
            format!("{events}/announcements"),
            "body_nl",
            "maxLength",
            json!(ANNOUNCEMENT_MAX),
        ),
        (
            "put",
            format!("{events}/sessions/{{session_id}}/questions/me"),
            "text",
            "maxLength",
            json!(SESSION_QUESTION_MAX),
        ),
        (
            "put",
            format!("{events}/sessions/{{session_id}}/questions/me"),
            "text",
            "minLength",
            json!(1),
        ),
        (
            "get",
            format!("{events}/catalogue"),
            "?page",
            "minimum",
            json!(PAGE.start()),
        ),
        (
            "get",
            format!("{events}/catalogue"),
            "?per_page",
            "minimum",
            json!(PER_PAGE.start()),
        ),
        (
            "get",
            format!("{events}/catalogue"),
            "?per_page",
            "maximum",
            json!(PER_PAGE.end()),
        ),
        (
            "get",
            format!("{events}/factsheets/{{factsheet_id}}/diff"),
            "?from",
            "minimum",
            json!(FIRST_VERSION),
        ),
        (
            "post",
            format!("{events}/uploads"),
            "?filename",
            "maxLength",
            json!(FILENAME_MAX),
        ),
        (
            "post",
            format!("{events}/uploads"),
            "?filename",
            "pattern",
            json!(trimmed(&filename())),
        ),
        (
            "post",
            format!("{events}/requests"),
            "message",
            "maxLength",
            json!(MEETING_MESSAGE_MAX),
        ),
        (
            "post",
            format!("{events}/requests/{{request_id}}/decline"),
            "reason",
            "maxLength",
            json!(DECLINE_REASON_MAX),
        ),
        (
            "put",
            format!("{events}/request-rules"),
            "max_requests_sent",
            "maximum",
            json!(REQUESTS_SENT_LIMIT.end()),
        ),
        (
            "put",
            format!("{events}/request-rules"),
            "max_meetings.supplier",
            "maximum",
            json!(MEETINGS_LIMIT.end()),
        ),
        (
            "put",
            format!("{events}/request-rules"),
            "reminder_after_hours",
            "minimum",
            json!(REMINDER_HOURS.start()),
        ),
        (
            "put",
            format!("{events}/availability/me"),
            "slot_ids",
            "maxItems",
            json!(MAX_UNAVAILABLE_SLOTS),
        ),
    ];
    let mut missing = Vec::new();
    for (method, path, field, keyword, value) in &table {
        let (schemas, _) = stated(&doc, method, path, field);
        if !schemas.iter().any(|s| s.get(*keyword) == Some(value)) {
            let said: Vec<_> = schemas.iter().filter_map(|s| s.get(*keyword)).collect();
            missing.push(format!(
                "{} {path} {field}: {keyword} should be {value}, the document says {said:?}",
                method.to_uppercase(),
            ));
        }
    }
    assert!(missing.is_empty(), "{missing:#?}");

    // What creating needs and editing does not.
    for (method, path, field, wanted) in [
        ("post", "/api/events".to_string(), "name", true),
        ("post", "/api/events".to_string(), "timezone", true),
        ("patch", events.to_string(), "name", false),
        ("post", format!("{events}/rooms"), "capacity", true),
        (
            "patch",
            format!("{events}/rooms/{{room_id}}"),
            "capacity",
            false,
        ),
        ("post", format!("{events}/slots"), "start", true),
        ("post", format!("{events}/taxonomy"), "code", true),
        (
            "post",
            format!("{events}/factsheets"),
            "claims[].evidence[].title",
            true,
        ),
        (
            "put",
            format!("{events}/sessions/{{session_id}}/questions/me"),
            "text",
            true,
        ),
        ("post", format!("{events}/requests"), "participant_id", true),
        ("post", format!("{events}/requests"), "priority", true),
        ("post", format!("{events}/requests"), "message", false),
    ] {
        assert_eq!(
            stated(&doc, method, &path, field).1,
            wanted,
            "{method} {path} {field} required"
        );
    }
    let (code, _) = stated(
        &doc,
        "patch",
        &format!("{events}/taxonomy/{{term_id}}"),
        "code",
    );
    assert!(
        code.iter().any(|s| s.get("type") == Some(&json!("null"))),
        "a term's code cannot change: {code:?}"
    );
}
