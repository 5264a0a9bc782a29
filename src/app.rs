//! Building and running the server: `Application::build` binds the listener (port 0 in
//! tests) and starts the mail worker; `run_until_stopped` serves until the shutdown future
//! completes, then lets requests and the mail worker finish.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, WWW_AUTHENTICATE};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use sea_orm::DatabaseConnection;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower_http::request_id::{
    MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::config::Settings;
use crate::mail::{MailQueue, worker};
use crate::metrics::Metrics;
use crate::state::AppState;
use crate::upload_gate::UploadGate;
use crate::{
    auth, catalogue, dayof, db, events, housekeeping, http, live, live_socket, people,
    request_limits, web,
};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "matchfloor API",
        description = "Buyer meets Supplier matchmaking events. Errors always have the body {\"error\": {\"code\", \"message\", \"details\"}}. State-changing requests made with the session cookie must send the X-CSRF-Token header from GET /api/me.",
        license(name = "AGPL-3.0-or-later")
    ),
    tags(
        (name = "auth", description = "Passwordless login and the profile"),
        (name = "events", description = "Events"),
        (name = "grid", description = "The meeting slot grid"),
        (name = "venue", description = "Rooms and tables"),
        (name = "taxonomy", description = "Product groups, the circular ambition map and other lists"),
        (name = "participants", description = "Participants, invitations and CSV import"),
        (name = "organisations", description = "Organisations: members, requests to join, organisers' assignments"),
        (name = "public", description = "Public registration and the public programme"),
        (name = "programme", description = "The programme: sessions, sign-ups, the waitlist and the personal agenda"),
        (name = "meetings", description = "One-to-one meetings: requests, their rules, and the slots one cannot meet in"),
        (name = "schedule", description = "Scheduling the meetings: runs of the scheduler, their preview, publishing, the meetings, and the instance and schedule as files"),
        (name = "mail", description = "The event's email as organisers see it: every message with its state, and sending one again"),
        (name = "live", description = "The live socket"),
        (name = "operations", description = "Health, readiness and metrics for operators"),
    )
)]
struct ApiDoc;

/// The full router and its OpenAPI description.
pub fn router(state: AppState) -> Router {
    let (api, mut openapi) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(auth::routes::router())
        .merge(events::routes::router())
        .merge(people::routes::router())
        .merge(crate::organisations::routes::router())
        .merge(live_socket::routes::router())
        .merge(dayof::routes::router())
        .merge(catalogue::routes::router())
        .merge(crate::programme::routes::router())
        .merge(crate::meetings::routes::router())
        .merge(crate::meetings::schedule::edit_routes::router())
        .merge(crate::meetings::schedule::routes::router())
        .merge(crate::event_mail::routes::router())
        .merge(crate::calendar::routes::router())
        .routes(utoipa_axum::routes!(health))
        .routes(utoipa_axum::routes!(ready))
        .routes(utoipa_axum::routes!(metrics))
        .split_for_parts();
    openapi.info.version = env!("CARGO_PKG_VERSION").into();
    let openapi = Arc::new(crate::openapi::finish(openapi));
    let request_id = HeaderName::from_static("x-request-id");
    let max_body = state.settings.server.max_body_bytes;
    Router::new()
        .merge(api)
        .route("/api/openapi.json", get(move || {
            let doc = openapi.clone();
            async move { axum::Json(doc.as_ref().clone()) }
        }))
        .fallback(web::serve)
        .layer(DefaultBodyLimit::max(max_body))
        .layer(axum::middleware::from_fn_with_state(state.clone(), request_limits::time_limit))
        .layer(axum::middleware::from_fn_with_state(state.clone(), auth::refresh_session_cookie))
        .layer(axum::middleware::from_fn_with_state(state.clone(), http::same_origin_guard))
        .layer(axum::middleware::from_fn_with_state(state.clone(), http::observe))
        .layer(axum::middleware::from_fn_with_state(state.clone(), web::security_headers))
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
                let id = req
                    .extensions()
                    .get::<RequestId>()
                    .and_then(|id| id.header_value().to_str().ok())
                    .unwrap_or("-")
                    .to_string();
                tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
            }),
        )
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .with_state(state)
}

/// Liveness: the process is up.
#[utoipa::path(get, path = "/health", tag = "operations", security(()), responses((status = 200, description = "`{\"status\": \"ok\"}`")))]
async fn health() -> impl IntoResponse {
    axum::Json(serde_json::json!({ "status": "ok" }))
}

/// Readiness: the database answers and mail is moving.
#[utoipa::path(get, path = "/ready", tag = "operations", security(()),
    responses((status = 200, description = "`{\"status\": \"ready\"}`"), (status = 503, body = crate::error::ErrorBody)))]
async fn ready(State(state): State<AppState>) -> impl IntoResponse {
    let checked = match state.db.ping().await {
        Ok(()) => worker::check_moving(&state.db, &state.mail, &state.settings.mail).await,
        Err(err) => Err(format!("the database is not reachable: {err}")),
    };
    match checked {
        Ok(()) => (
            StatusCode::OK,
            axum::Json(serde_json::json!({ "status": "ready" })),
        )
            .into_response(),
        Err(reason) => {
            tracing::warn!(reason = %reason, "readiness check failed");
            crate::error::AppError::coded(StatusCode::SERVICE_UNAVAILABLE, "not_ready", reason)
                .into_response()
        }
    }
}

/// Metrics in the Prometheus text format, for a scraper that sends the metrics token
/// (`Authorization: Bearer ...`, setting `metrics.token`). Without a configured token this
/// answers 404; `metrics.bind` serves the metrics on a separate address instead.
#[utoipa::path(get, path = "/metrics", tag = "operations", security(()),
    responses((status = 200, content_type = "text/plain", body = String),
        (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let token = &state.settings.metrics.token;
    if token.is_empty() {
        return crate::error::AppError::NotFound("metrics").into_response();
    }
    let sent = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if !auth::constant_time_eq(sent.trim().as_bytes(), token.as_bytes()) {
        let mut response = crate::error::AppError::coded(
            StatusCode::UNAUTHORIZED,
            "metrics_token_required",
            "send the metrics token as Authorization: Bearer <token>",
        )
        .into_response();
        response
            .headers_mut()
            .insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return response;
    }
    render_metrics(State(state)).await
}

async fn render_metrics(State(state): State<AppState>) -> Response {
    let pending = worker::pending_count(&state.db).await;
    (
        [(
            CONTENT_TYPE,
            HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
        )],
        state
            .metrics
            .render(pending, &state.live.hub, &state.mail.stats),
    )
        .into_response()
}

/// The router of the separate metrics listener (`metrics.bind`): only `/metrics`, without
/// a token, since only the network that reaches that address can ask.
fn metrics_router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(render_metrics))
        .with_state(state)
}

pub struct Application {
    listener: TcpListener,
    metrics_listener: Option<TcpListener>,
    state: AppState,
    port: u16,
    /// How mail leaves, set up (and its DKIM key checked) before the server listens.
    transport: worker::Transport,
}

impl Application {
    /// Connects to the database (migrating it when configured), and binds the listener.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let db = db::connect(&settings).await?;
        if settings.database.migrate_on_start {
            db::migrate(&db).await?;
        }
        Self::build_with_db(settings, db).await
    }

    pub async fn build_with_db(settings: Settings, db: DatabaseConnection) -> anyhow::Result<Self> {
        let transport = worker::Transport::from_settings(&settings)?;
        let listener = TcpListener::bind(&settings.server.bind)
            .await
            .with_context(|| {
                format!(
                    "cannot listen on {} (setting server.bind)",
                    settings.server.bind
                )
            })?;
        let metrics_listener = if settings.metrics.bind.is_empty() {
            None
        } else {
            Some(
                TcpListener::bind(&settings.metrics.bind)
                    .await
                    .with_context(|| {
                        format!(
                            "cannot listen on {} (setting metrics.bind)",
                            settings.metrics.bind
                        )
                    })?,
            )
        };
        let addr = listener.local_addr()?;
        let state = build_state(settings, db, addr);
        Ok(Application {
            listener,
            metrics_listener,
            state,
            port: addr.port(),
            transport,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The port of the separate metrics listener, when `metrics.bind` is set.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics_listener
            .as_ref()
            .and_then(|l| l.local_addr().ok())
            .map(|a| a.port())
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` completes; then stops accepting, lets running requests and
    /// the mail worker finish (within `server.shutdown_grace_seconds`).
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let Application {
            listener,
            metrics_listener,
            state,
            transport,
            ..
        } = self;
        let (stop_tx, stop_rx) = watch::channel(false);
        let worker = tokio::spawn(worker::supervise(
            state.mail_worker(),
            transport,
            stop_rx.clone(),
        ));
        if state.settings.housekeeping.enabled {
            tokio::spawn(housekeeping::run(state.clone(), stop_rx.clone()));
        }
        let scheduler = state.settings.schedule.worker.then(|| {
            tokio::spawn(crate::meetings::schedule::worker::run(
                state.clone(),
                stop_rx.clone(),
            ))
        });
        if let Some(metrics_listener) = metrics_listener {
            tracing::info!(address = %metrics_listener.local_addr()?, "metrics are served here");
            let mut stop = stop_rx.clone();
            let serve = axum::serve(metrics_listener, metrics_router(state.clone()))
                .with_graceful_shutdown(async move {
                    let _ = stop.wait_for(|stopped| *stopped).await;
                });
            tokio::spawn(async move {
                if let Err(err) = serve.await {
                    tracing::error!(error = %err, "the metrics listener stopped");
                }
            });
        }
        if state.live.via_database {
            let url = state.settings.database_url();
            let bus = live::bus::connect(&url)
                .await
                .context("cannot listen for live updates on PostgreSQL")?;
            tokio::spawn(live::bus::listen(
                bus,
                url,
                state.db.clone(),
                state.live.hub.clone(),
                stop_rx,
            ));
        }
        let grace = Duration::from_secs(state.settings.server.shutdown_grace_seconds);
        let app = router(state);
        tracing::info!(address = %listener.local_addr()?, "matchfloor is listening");
        let stop = stop_tx.clone();
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            shutdown.await;
            tracing::info!("shutting down: finishing running requests");
            let _ = stop.send(true);
        })
        .await
        .context("the server stopped with an error")?;
        let _ = stop_tx.send(true);
        if tokio::time::timeout(grace, worker).await.is_err() {
            tracing::warn!("the mail worker did not finish within the grace period");
        }
        if let Some(scheduler) = scheduler
            && tokio::time::timeout(grace, scheduler).await.is_err()
        {
            tracing::warn!("the scheduler's worker did not finish within the grace period");
        }
        tracing::info!("matchfloor stopped");
        Ok(())
    }
}

pub fn build_state(settings: Settings, mut db: DatabaseConnection, addr: SocketAddr) -> AppState {
    let public_url = if settings.server.public_url.is_empty() {
        let host = if addr.ip().is_unspecified() {
            "127.0.0.1".to_string()
        } else {
            addr.ip().to_string()
        };
        format!("http://{host}:{}", addr.port())
    } else {
        settings.server.public_url.trim_end_matches('/').to_string()
    };
    let live = live::Live::new(db::is_postgres(&db));
    let metrics = Arc::new(Metrics::new());
    // Every statement counts, so what costs the database shows in /metrics (the live load
    // tool reads it to measure idle sockets).
    let counter = metrics.clone();
    db.set_metric_callback(move |_| {
        counter
            .db_queries
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    });
    AppState {
        live,
        event_cache: Arc::default(),
        seat_queues: Arc::default(),
        uploads: Arc::new(UploadGate::new(&settings.uploads)),
        db,
        settings: Arc::new(settings),
        mail: MailQueue::default(),
        metrics,
        public_url: public_url.into(),
        schedule: Arc::new(crate::worker_handle::WorkerHandle::new()),
    }
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
