//! The unsubscribe link under announcement emails (`List-Unsubscribe`, RFC 8058): a POST
//! to it switches the holder's announcement emails off, without a login (mail programs
//! send `List-Unsubscribe=One-Click` there); opening it in a browser shows a small page in
//! Dutch and English with a button that does the same. Login links, schedules and changes
//! to one's meetings and sessions keep coming.

use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::preferences;
use crate::error::AppResult;
use crate::http::Path;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(page, unsubscribe))
}

/// A stored token is 64 hex characters; anything else is no token of ours.
fn plausible(token: &str) -> bool {
    token.len() == crate::bounds::LOGIN_TOKEN_HEX && token.bytes().all(|b| b.is_ascii_hexdigit())
}

fn html(status: StatusCode, body: &str) -> Response {
    let page = format!(
        "<!doctype html><html lang=\"nl\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>matchfloor</title><link rel=\"stylesheet\" href=\"/css/app.css\"></head>\
         <body><main class=\"container\">{body}</main></body></html>"
    );
    (
        status,
        [
            (CONTENT_TYPE, "text/html; charset=utf-8"),
            (CACHE_CONTROL, "no-store"),
        ],
        page,
    )
        .into_response()
}

fn unknown() -> Response {
    html(
        StatusCode::NOT_FOUND,
        "<h1>Deze link werkt niet</h1><p>Deze afmeldlink is niet (meer) geldig. Je kunt \
         mededelingen per e-mail ook uitzetten in je profiel.</p>\
         <h1 lang=\"en\">This link does not work</h1><p lang=\"en\">This unsubscribe link is \
         not valid. You can also switch announcement emails off in your profile.</p>",
    )
}

/// The page behind an unsubscribe link: a button that switches announcement emails off.
#[utoipa::path(get, path = "/api/unsubscribe/{token}", tag = "live", security(()),
    params(("token" = String, Path, description = "the token of the link under an announcement email")),
    responses((status = 200, content_type = "text/html", body = String),
        (status = 404, content_type = "text/html", body = String)))]
async fn page(State(state): State<AppState>, Path(token): Path<String>) -> AppResult<Response> {
    if !plausible(&token) {
        return Ok(unknown());
    }
    let Some(found) = preferences::by_token(&state.db, &token).await? else {
        return Ok(unknown());
    };
    let (nl, en) = if found.announcement_emails {
        (
            "Wil je de mededelingen van de organisatoren niet meer per e-mail ontvangen? Je \
             ziet ze nog steeds op de pagina's van het evenement. Inloglinks en wijzigingen in \
             je gesprekken en sessies blijven komen.",
            "Stop receiving the organisers' announcements by email? You still see them on the \
             event's pages. Login links and changes to your meetings and sessions keep coming.",
        )
    } else {
        (
            "Je ontvangt al geen mededelingen meer per e-mail. Je kunt ze weer aanzetten in je \
             profiel.",
            "You already get no announcements by email. You can switch them back on in your \
             profile.",
        )
    };
    Ok(html(
        StatusCode::OK,
        &format!(
            "<h1>Mededelingen per e-mail</h1><p>{nl}</p>\
             <h1 lang=\"en\">Announcements by email</h1><p lang=\"en\">{en}</p>\
             <form method=\"post\"><button type=\"submit\" class=\"btn btn-primary\">\
             Afmelden / Unsubscribe</button></form>"
        ),
    ))
}

/// Switches announcement emails off for the holder of the link (one-click, RFC 8058; no
/// login). Whatever the body says; doing it again changes nothing.
#[utoipa::path(post, path = "/api/unsubscribe/{token}", tag = "live", security(()),
    params(("token" = String, Path, description = "the token of the link under an announcement email")),
    responses((status = 200, content_type = "text/html", body = String),
        (status = 404, content_type = "text/html", body = String)))]
#[tracing::instrument(skip_all)]
async fn unsubscribe(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> AppResult<Response> {
    if !plausible(&token) || !preferences::unsubscribe(&state.db, &token).await? {
        return Ok(unknown());
    }
    Ok(html(
        StatusCode::OK,
        "<h1>Afgemeld</h1><p>Je ontvangt geen mededelingen meer per e-mail. Je kunt ze weer \
         aanzetten in je profiel.</p>\
         <h1 lang=\"en\">Unsubscribed</h1><p lang=\"en\">You get no more announcements by \
         email. You can switch them back on in your profile.</p>",
    ))
}
