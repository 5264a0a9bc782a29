//! What the load tools share: a matchfloor server started as its own process on a
//! loopback port, logging in with a login link over HTTP, percentiles and a deterministic
//! random number generator; and for the tools that set up an event through the library
//! first: a database for the run, the library's state on it, a crowd of participants with
//! their login links, and a line describing the machine.

// Each bench includes this module and uses only a part of it.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use matchfloor::auth::service::{LinkPurpose, issue_link};
use matchfloor::config::Settings;
use matchfloor::domain::{Email, Lang, Role, Status};
use matchfloor::entities::participation;
use matchfloor::people::service::{PersonFields, find_or_create_person};
use matchfloor::state::AppState;
use sea_orm::{ConnectionTrait, Database, EntityTrait, Set};
use serde_json::{Value, json};
use uuid::Uuid;

/// The value at fraction `p` (0.0 to 1.0) of sorted figures; NaN when there are none.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// xorshift64*: deterministic, so every run loads the server the same way.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// A fraction in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The 64 hex digits after `token=` in a login link (or in text that prints one).
pub fn token_in(text: &str) -> Option<String> {
    let token: String = text
        .split("token=")
        .nth(1)?
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect();
    (token.len() == 64).then_some(token)
}

/// A logged-in browser: its session cookie (`name=value`) and CSRF token.
pub struct Login {
    pub cookie: String,
    pub csrf: String,
    pub me: Value,
}

/// Uses a login token as a browser does (`POST /api/auth/confirm`).
pub async fn log_in(client: &reqwest::Client, base: &str, token: &str) -> anyhow::Result<Login> {
    let response = client
        .post(format!("{base}/api/auth/confirm"))
        .json(&json!({ "token": token }))
        .send()
        .await?;
    anyhow::ensure!(
        response.status().is_success(),
        "login failed: {}",
        response.text().await?
    );
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(str::to_string)
        .ok_or_else(|| anyhow::anyhow!("no session cookie"))?;
    let me: Value = response.json().await?;
    let csrf = me["csrf_token"].as_str().unwrap_or_default().to_string();
    Ok(Login { cookie, csrf, me })
}

/// A server process on a loopback port, stopped when dropped.
pub struct Server {
    child: Child,
    pub base: String,
    /// The settings it was started with (`MATCHFLOOR__...`), for commands on its data.
    pub env: Vec<(String, String)>,
}

impl Server {
    /// Starts `binary serve` with the default settings (no profile), the given ones and a
    /// free loopback port, and waits until `/health` answers.
    pub async fn start(binary: &str, settings: &[(&str, String)]) -> anyhow::Result<Server> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let mut env: Vec<(String, String)> = settings
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        env.push((
            "MATCHFLOOR__SERVER__BIND".into(),
            format!("127.0.0.1:{port}"),
        ));
        if !env.iter().any(|(k, _)| k == "MATCHFLOOR__LOG__FILTER") {
            env.push(("MATCHFLOOR__LOG__FILTER".into(), "warn".into()));
        }
        let child = Command::new(binary)
            .arg("serve")
            .envs(env.iter().cloned())
            .env_remove("MATCHFLOOR_PROFILE")
            .stdout(Stdio::null())
            .spawn()
            .map_err(|e| anyhow::anyhow!("cannot start {binary}: {e}"))?;
        let server = Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
            env,
        };
        let client = reqwest::Client::new();
        for _ in 0..600 {
            if client
                .get(format!("{}/health", server.base))
                .send()
                .await
                .is_ok()
            {
                return Ok(server);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        anyhow::bail!("the server did not start")
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Runs another command of the same binary on the same settings and returns its output.
    pub fn command(&self, binary: &str, args: &[&str]) -> anyhow::Result<String> {
        let output = Command::new(binary)
            .args(args)
            .envs(self.env.iter().cloned())
            .env_remove("MATCHFLOOR_PROFILE")
            .output()?;
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The library's errors as `anyhow` errors (they do not all implement `std::error::Error`).
pub fn app_error(err: impl std::fmt::Debug) -> anyhow::Error {
    anyhow::anyhow!("{err:?}")
}

/// A database for a run: a new one on the PostgreSQL server `postgres` (named
/// `{prefix}_{uuid}`), or a SQLite file in `dir`. Returns its URL and, for PostgreSQL, its
/// name, for [`drop_database`] afterwards.
pub async fn database(
    postgres: Option<&str>,
    dir: &Path,
    prefix: &str,
) -> anyhow::Result<(String, Option<String>)> {
    let Some(base) = postgres else {
        return Ok((
            format!(
                "sqlite://{}?mode=rwc",
                dir.join(format!("{prefix}.db")).display()
            ),
            None,
        ));
    };
    let name = format!("{prefix}_{}", Uuid::now_v7().simple());
    let admin = Database::connect(base).await?;
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await?;
    admin.close().await?;
    let (server, _) = base
        .rsplit_once('/')
        .ok_or_else(|| anyhow::anyhow!("--postgres ends in /DBNAME"))?;
    Ok((format!("{server}/{name}"), Some(name)))
}

/// Drops a database [`database`] created on the PostgreSQL server `postgres`.
pub async fn drop_database(postgres: &str, name: &str) -> anyhow::Result<()> {
    let admin = Database::connect(postgres).await?;
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await?;
    admin.close().await?;
    Ok(())
}

/// The library on the run's database (migrated), with the settings a server started with
/// [`Server::start`] on `settings_env` uses too.
pub async fn library(settings_env: &[(&str, String)]) -> anyhow::Result<AppState> {
    let env: Vec<(String, String)> = settings_env
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("config");
    let settings = Settings::load_from(&config, None, &env)?;
    let db = matchfloor::db::connect(&settings).await?;
    matchfloor::db::migrate(&db).await?;
    Ok(matchfloor::app::build_state(
        settings,
        db,
        "127.0.0.1:0".parse()?,
    ))
}

/// One participant of a crowd: their participation (the API's `participant_id`), role and
/// login token.
pub struct Member {
    pub participant_id: Uuid,
    pub role: Role,
    pub token: String,
}

/// Approved participants of the event with the given roles, named `{name}{i}` with
/// addresses `{name}{i}@{domain}`, each with a login link, written in one transaction.
pub async fn crowd(
    state: &AppState,
    event_id: Uuid,
    roles: &[Role],
    name: &str,
    domain: &str,
) -> anyhow::Result<Vec<Member>> {
    let txn = matchfloor::db::begin(&state.db).await?;
    let now = Utc::now();
    let mut rows = Vec::with_capacity(roles.len());
    let mut members = Vec::with_capacity(roles.len());
    for (i, role) in roles.iter().enumerate() {
        let fields = PersonFields {
            name: format!("{name} {i}"),
            email: Email::parse(&format!("{name}{i}@{domain}")).map_err(app_error)?,
            organisation: None,
            job_title: None,
            phone: None,
            language: Lang::Nl,
        };
        let (person, _) = find_or_create_person(&txn, &fields, false)
            .await
            .map_err(app_error)?;
        let participant_id = Uuid::now_v7();
        rows.push(participation::ActiveModel {
            id: Set(participant_id),
            event_id: Set(event_id),
            person_id: Set(person.id),
            role: Set(*role),
            status: Set(Status::Approved),
            checkin_code: Set(matchfloor::people::checkin::new_code()),
            day_before_sent_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        });
        let link = issue_link(&txn, state, person.id, LinkPurpose::Login, Some(event_id))
            .await
            .map_err(app_error)?;
        let token = token_in(&link).ok_or_else(|| anyhow::anyhow!("no token in {link}"))?;
        members.push(Member {
            participant_id,
            role: *role,
            token,
        });
    }
    for chunk in rows.chunks(500) {
        participation::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(members)
}

/// Logs every token in over HTTP, `concurrency` at a time; the logins in the tokens' order.
pub async fn log_in_all(
    client: &reqwest::Client,
    base: &str,
    tokens: impl IntoIterator<Item = String>,
    concurrency: usize,
) -> anyhow::Result<Vec<Login>> {
    let gate = Arc::new(tokio::sync::Semaphore::new(concurrency.max(1)));
    let mut logins = tokio::task::JoinSet::new();
    let mut count = 0;
    for (i, token) in tokens.into_iter().enumerate() {
        let (client, base, gate) = (client.clone(), base.to_string(), gate.clone());
        logins.spawn(async move {
            let _permit = gate.acquire_owned().await?;
            anyhow::Ok((i, log_in(&client, &base, &token).await?))
        });
        count += 1;
    }
    let mut done: Vec<Option<Login>> = (0..count).map(|_| None).collect();
    while let Some(next) = logins.join_next().await {
        let (i, login) = next??;
        done[i] = Some(login);
    }
    Ok(done.into_iter().flatten().collect())
}

/// The machine a run was measured on, for the report.
pub fn machine() -> String {
    let cpus = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|m| m.trim_start_matches([' ', '\t', ':']).to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let memory_gb = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
        })
        .map(|kb| format!(", {:.0} GB memory", kb / 1024.0 / 1024.0))
        .unwrap_or_default();
    format!("{cpus} CPUs ({model}){memory_gb}")
}
