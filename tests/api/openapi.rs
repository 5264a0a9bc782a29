//! The OpenAPI document at /api/openapi.json: valid by an independent validator, and
//! complete: every route the router serves is in it, with its path parameters declared.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use serde_json::Value;

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
