//! One error type for the whole HTTP surface, rendered as
//! `{"error": {"code", "message", "details"}}`. Internal causes are logged, never shown.

use axum::extract::rejection::QueryRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

/// A problem with one input field.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct FieldError {
    pub field: String,
    pub code: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{message}")]
    Coded {
        status: StatusCode,
        code: &'static str,
        message: String,
        details: Option<Value>,
    },
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("not logged in")]
    NotLoggedIn,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{message}")]
    Conflict {
        field: Option<&'static str>,
        message: String,
    },
    #[error("too many requests")]
    RateLimited,
    #[error(transparent)]
    Database(sea_orm::DbErr),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

/// The error body, as documented in the OpenAPI description.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorContent,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorContent {
    /// Stable code for programs, e.g. `validation_failed`.
    pub code: String,
    /// English explanation for people.
    pub message: String,
    /// Extra structure, e.g. `{"fields": [...]}` for validation errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<Value>,
}

impl AppError {
    pub fn field(field: &str, code: &str, message: impl Into<String>) -> Self {
        AppError::Validation(vec![FieldError::new(field, code, message)])
    }

    pub fn coded(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        AppError::Coded {
            status,
            code,
            message: message.into(),
            details: None,
        }
    }

    fn parts(&self) -> (StatusCode, &str, String, Option<Value>) {
        match self {
            AppError::BadRequest(m) => (StatusCode::BAD_REQUEST, "bad_request", m.clone(), None),
            AppError::Coded {
                status,
                code,
                message,
                details,
            } => (*status, code, message.clone(), details.clone()),
            AppError::Validation(fields) => {
                let message = fields
                    .iter()
                    .map(|f| format!("{}: {}", f.field, f.message))
                    .collect::<Vec<_>>()
                    .join("; ");
                (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "validation_failed",
                    message,
                    Some(json!({ "fields": fields })),
                )
            }
            AppError::NotLoggedIn => (
                StatusCode::UNAUTHORIZED,
                "not_logged_in",
                "log in first".into(),
                None,
            ),
            AppError::Forbidden(m) => (StatusCode::FORBIDDEN, "forbidden", m.clone(), None),
            AppError::NotFound(what) => (
                StatusCode::NOT_FOUND,
                "not_found",
                format!("{what} not found"),
                None,
            ),
            AppError::Conflict { field, message } => (
                StatusCode::CONFLICT,
                "conflict",
                message.clone(),
                field.map(
                    |f| json!({ "fields": [FieldError::new(f, "conflict", message.clone())] }),
                ),
            ),
            AppError::RateLimited => (
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                "too many login links asked for; try again in a few minutes".into(),
                None,
            ),
            AppError::Database(sea_orm::DbErr::ConnectionAcquire(
                sea_orm::error::ConnAcquireErr::Timeout,
            )) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "busy",
                "the server is too busy right now; try again in a moment".into(),
                None,
            ),
            AppError::Database(_) | AppError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "something went wrong on our side".into(),
                None,
            ),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code, message, details) = self.parts();
        if status == StatusCode::INTERNAL_SERVER_ERROR {
            tracing::error!(error = ?self, "request failed");
        }
        if status == StatusCode::SERVICE_UNAVAILABLE {
            tracing::warn!(error = ?self, "request refused: no database connection free in time");
        }
        let body = ErrorBody {
            error: ErrorContent {
                code: code.into(),
                message,
                details,
            },
        };
        let mut response = (status, axum::Json(body)).into_response();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            // Load balancers and clients retry a 503 after this many seconds.
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                "1".parse().expect("a header value"),
            );
        }
        response
    }
}

impl From<QueryRejection> for AppError {
    fn from(rejection: QueryRejection) -> Self {
        AppError::BadRequest(rejection.body_text())
    }
}

pub fn too_large_or_bad(status: StatusCode, text: String) -> AppError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::coded(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "the request body is too large",
        )
    } else {
        AppError::BadRequest(text)
    }
}

impl AppError {
    pub fn conflict(message: impl Into<String>) -> Self {
        AppError::Conflict {
            field: None,
            message: message.into(),
        }
    }
}

/// Every database error reaches the client through here. A unique rule hit by two requests
/// at the same moment (the second one's check ran before the first one's insert committed)
/// is a conflict the client can act on, on SQLite and PostgreSQL alike, never a 500; where a
/// service knows which field it was, [`on_unique`] names it.
impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        match err.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(detail)) => {
                tracing::info!(%detail, "a unique rule refused a write");
                AppError::conflict(
                    "this already exists: another request created it at the same moment; reload and try again",
                )
            }
            _ => AppError::Database(err),
        }
    }
}

/// Turns a unique-constraint violation into a 409 naming the field, with a message for people.
pub fn on_unique(err: sea_orm::DbErr, field: &'static str, message: &str) -> AppError {
    match err.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => AppError::Conflict {
            field: Some(field),
            message: message.into(),
        },
        _ => AppError::Database(err),
    }
}

/// The conversions every capability's own error type shares (each has a `Database` and an
/// `App` variant): a database error, and an [`AppError`] from the shared helpers (access
/// checks, loading the event), whose database errors stay database errors so that
/// [`crate::db::retrying`] still sees them. With `invalid`, also a [`FieldError`] into
/// the type's `Invalid` list.
macro_rules! capability_error_conversions {
    ($name:ident) => {
        impl From<sea_orm::DbErr> for $name {
            fn from(err: sea_orm::DbErr) -> Self {
                $name::Database(err)
            }
        }

        impl From<$crate::error::AppError> for $name {
            fn from(err: $crate::error::AppError) -> Self {
                match err {
                    $crate::error::AppError::Database(e) => $name::Database(e),
                    other => $name::App(other),
                }
            }
        }
    };
    ($name:ident, invalid) => {
        $crate::error::capability_error_conversions!($name);

        impl From<$crate::error::FieldError> for $name {
            fn from(err: $crate::error::FieldError) -> Self {
                $name::Invalid(vec![err])
            }
        }
    };
}
pub(crate) use capability_error_conversions;

#[cfg(test)]
mod tests {
    use sea_orm::{ConnectionTrait, Database};

    use super::*;

    #[tokio::test]
    async fn a_unique_rule_is_a_conflict_and_other_database_errors_stay_internal() {
        let db = Database::connect("sqlite::memory:").await.unwrap();
        db.execute_unprepared("CREATE TABLE t (k TEXT UNIQUE)")
            .await
            .unwrap();
        db.execute_unprepared("INSERT INTO t VALUES ('a')")
            .await
            .unwrap();
        let duplicate = db
            .execute_unprepared("INSERT INTO t VALUES ('a')")
            .await
            .unwrap_err();
        let conflict = AppError::from(duplicate);
        let (status, code, ..) = conflict.parts();
        assert_eq!((status, code), (StatusCode::CONFLICT, "conflict"));

        let broken = db
            .execute_unprepared("INSERT INTO no_such_table VALUES (1)")
            .await
            .unwrap_err();
        let internal = AppError::from(broken);
        let (status, code, ..) = internal.parts();
        assert_eq!(
            (status, code),
            (StatusCode::INTERNAL_SERVER_ERROR, "internal")
        );
    }

    #[tokio::test]
    async fn a_pool_with_no_connection_free_in_time_answers_503_with_retry_after() {
        let mut options = sea_orm::ConnectOptions::new("sqlite::memory:");
        options
            .max_connections(1)
            .min_connections(1)
            .acquire_timeout(std::time::Duration::from_millis(50));
        let db = Database::connect(options).await.unwrap();
        let held = sea_orm::TransactionTrait::begin(&db).await.unwrap();
        let starved = db.execute_unprepared("SELECT 1").await.unwrap_err();
        drop(held);
        let response = AppError::from(starved).into_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            response.headers().get(axum::http::header::RETRY_AFTER),
            Some(&axum::http::HeaderValue::from_static("1"))
        );
    }
}
