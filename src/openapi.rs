//! The finishing pass over the OpenAPI document that utoipa generates from the handlers.
//!
//! Each handler's `#[utoipa::path]` describes what is particular to it: its success
//! answer and the errors of its own rules (403 for a role, 404, 409, ...). Path parameters
//! come from its `Path<...>` argument and query parameters from its `Query<...>` struct
//! (utoipa's `axum_extras`). The answers that follow from the plumbing every endpoint
//! shares are added here, from facts in the document itself, so no endpoint can forget
//! them:
//!
//! | answer | added to every operation that |
//! |---|---|
//! | 400 `bad_request`, `invalid_json` | has path or query parameters, or a JSON body (a malformed id, query or body) |
//! | 401 `not_logged_in` | does not allow anonymous callers (no `security(())` of its own) |
//! | 403 `csrf_failed` | changes state (POST, PUT, PATCH, DELETE): a missing CSRF token or a foreign `Origin` |
//! | 404 `not_found` | has path parameters (no such thing, or not visible to the caller) |
//! | 413 `payload_too_large` | has a request body |
//! | 415 `unsupported_media_type` | has a body (sent with another `Content-Type` than it takes) |
//! | 422 `validation_failed` | has a JSON body or query parameters (well-formed, wrong values) |
//! | 503 `timeout` | any: every request has a time limit (`server.request_timeout_seconds`) |
//!
//! The bounds the validators enforce (lengths, ranges, list sizes, shapes) are written in
//! last, from the constants the validators use (src/bounds.rs).
//!
//! Login is the default: the document's `security` names the session cookie, and an
//! endpoint open to anonymous callers says `security(())` (or `security((), ("session" =
//! []))` when a session changes what it shows). docs/api.md tells how to document an
//! endpoint; tests/api/openapi.rs checks the result with a validator and against the
//! router.

use serde_json::{Map, Value, json};
use utoipa::ToSchema;

/// A file as the raw body of a request or response.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct Binary(#[allow(dead_code)] Vec<u8>);

/// The name of the session cookie's security scheme.
pub const SESSION: &str = "session";

/// The shared answers: (status, name in `components.responses`, description).
const SHARED: [(&str, &str, &str); 8] = [
    (
        "400",
        "BadRequest",
        "`bad_request` or `invalid_json`: a malformed path or query parameter, or a body that is not JSON",
    ),
    (
        "401",
        "NotLoggedIn",
        "`not_logged_in`: no valid session (log in with a link first)",
    ),
    (
        "403",
        "Forbidden",
        "`forbidden`: not allowed for your role; `csrf_failed`: the `X-CSRF-Token` header is missing or wrong, or the `Origin` is another site",
    ),
    (
        "404",
        "NotFound",
        "`not_found`: no such thing, or not visible to you",
    ),
    (
        "413",
        "PayloadTooLarge",
        "`payload_too_large`: the body is over `server.max_body_bytes` (1 MiB by default)",
    ),
    (
        "415",
        "UnsupportedMediaType",
        "`unsupported_media_type`: the body was sent with another `Content-Type` than the operation takes",
    ),
    (
        "422",
        "ValidationFailed",
        "`validation_failed`: well-formed but wrong values; `details.fields` names each field with its problem",
    ),
    (
        "503",
        "Unavailable",
        "`timeout`: the answer took longer than the request's time limit; try again",
    ),
];

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Adds the shared answers, the session security scheme and missing response
/// descriptions to the generated document (see the module comment).
pub fn finish(doc: utoipa::openapi::OpenApi) -> Value {
    let mut doc = serde_json::to_value(doc).unwrap_or_else(|err| {
        // Serialising plain data structures cannot fail; an empty document would show it.
        tracing::error!(error = %err, "the OpenAPI document could not be serialised");
        json!({})
    });
    let Some(root) = doc.as_object_mut() else {
        return doc;
    };
    let components = root
        .entry("components")
        .or_insert_with(|| json!({}))
        .as_object_mut()
        .map(std::mem::take)
        .unwrap_or_default();
    let mut components = components;
    let responses = components.entry("responses").or_insert_with(|| json!({}));
    for (_, name, description) in SHARED {
        responses[name] = json!({
            "description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
        });
    }
    components
        .entry("securitySchemes")
        .or_insert_with(|| json!({}))[SESSION] = json!({
        "type": "apiKey",
        "in": "cookie",
        "name": crate::auth::SESSION_COOKIE,
        "description": "The session cookie set by `POST /api/auth/confirm` (named `__Host-mf_session` behind HTTPS). State-changing requests also send the `X-CSRF-Token` header with the `csrf_token` from `GET /api/me`."
    });
    root.insert("components".into(), Value::Object(components));
    root.insert("security".into(), json!([{ SESSION: [] }]));

    if let Some(paths) = root.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            for method in METHODS {
                if let Some(operation) = item.get_mut(method).and_then(Value::as_object_mut) {
                    finish_operation(method, operation);
                }
            }
        }
    }
    // The bounds the validators enforce, from the constants they use (src/bounds.rs).
    for problem in crate::bounds::state_in(&mut doc) {
        tracing::error!(%problem, "a bound could not be stated in the OpenAPI document");
    }
    doc
}

fn finish_operation(method: &str, operation: &mut Map<String, Value>) {
    let parameters_in = |place: &str| {
        operation
            .get("parameters")
            .and_then(Value::as_array)
            .is_some_and(|ps| ps.iter().any(|p| p["in"] == place))
    };
    let has_path = parameters_in("path");
    let has_query = parameters_in("query");
    let body = operation.get("requestBody");
    let has_body = body.is_some();
    let json_body = body
        .and_then(|b| b["content"].as_object())
        .is_some_and(|c| {
            c.keys()
                .any(|k| k == "application/json" || k.ends_with("+json"))
        });
    // An empty requirement in the operation's own list means "anonymous callers too".
    let anonymous = operation
        .get("security")
        .and_then(Value::as_array)
        .is_some_and(|reqs| {
            reqs.iter()
                .any(|r| r.as_object().is_some_and(Map::is_empty))
        });
    let changes_state = matches!(method, "post" | "put" | "patch" | "delete");
    let wanted = [
        has_path || has_query || json_body,
        !anonymous,
        changes_state,
        has_path,
        has_body,
        has_body,
        json_body || has_query,
        true,
    ];
    let responses = operation.entry("responses").or_insert_with(|| json!({}));
    let Some(responses) = responses.as_object_mut() else {
        return;
    };
    for ((status, name, _), wanted) in SHARED.into_iter().zip(wanted) {
        if wanted && !responses.contains_key(status) {
            responses.insert(
                status.into(),
                json!({ "$ref": format!("#/components/responses/{name}") }),
            );
        }
    }
    // OpenAPI requires a description on every answer; the reason phrase will do where the
    // handler gave none.
    for (status, response) in responses.iter_mut() {
        let Some(response) = response.as_object_mut() else {
            continue;
        };
        if response.contains_key("$ref") {
            continue;
        }
        let missing = response
            .get("description")
            .and_then(Value::as_str)
            .is_none_or(str::is_empty);
        if missing {
            let phrase = status
                .parse::<u16>()
                .ok()
                .and_then(|s| axum::http::StatusCode::from_u16(s).ok())
                .and_then(|s| s.canonical_reason())
                .unwrap_or("answer");
            response.insert("description".into(), Value::String(phrase.into()));
        }
    }
}
