//! Layered settings: the embedded `config/default.toml`, then `config/$MATCHFLOOR_PROFILE.toml`,
//! then environment variables `MATCHFLOOR__SECTION__KEY`. A wrong or unknown setting is an
//! error that names it, so start-up stops with a message instead of a panic.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

const DEFAULTS: &str = include_str!("../config/default.toml");
const ENV_PREFIX: &str = "MATCHFLOOR__";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub data_dir: PathBuf,
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub auth: AuthSettings,
    pub mail: MailSettings,
    pub web: WebSettings,
    pub uploads: UploadSettings,
    pub live: LiveSettings,
    pub log: LogSettings,
    pub metrics: MetricsSettings,
    pub housekeeping: HousekeepingSettings,
    pub schedule: ScheduleSettings,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    pub bind: String,
    pub public_url: String,
    pub max_body_bytes: usize,
    pub shutdown_grace_seconds: u64,
    pub request_timeout_seconds: f64,
    pub upload_timeout_seconds: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSettings {
    pub url: String,
    pub max_connections: u32,
    pub migrate_on_start: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthSettings {
    pub login_link_minutes: i64,
    pub invitation_link_hours: i64,
    pub session_days: i64,
    pub rate_limit_per_email: u64,
    pub rate_limit_per_client: u64,
    pub rate_limit_per_client_known: u64,
    pub login_mail_cooldown_seconds: i64,
    pub rate_limit_window_minutes: i64,
    pub trust_forwarded_for: bool,
    /// Comma-separated addresses or CIDR ranges of proxies in front of our own.
    pub trusted_proxies: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MailTransport {
    File,
    Smtp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    Starttls,
    Tls,
    None,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailSettings {
    pub transport: MailTransport,
    pub from_name: String,
    pub from_address: String,
    /// Where replies go (empty: to the sender).
    pub reply_to: String,
    pub smtp_host: String,
    pub smtp_port: u16,
    pub smtp_security: SmtpSecurity,
    pub smtp_username: String,
    pub smtp_password: String,
    pub poll_seconds: u64,
    pub max_attempts: i32,
    pub retry_base_seconds: i64,
    pub stall_seconds: i64,
    /// Messages a second at most from each instance; 0: no limit.
    pub max_per_second: u32,
    /// Messages each instance sends at the same time (its SMTP connections).
    pub concurrency: u32,
    /// Seconds a claimed message stays claimed without its instance renewing the claim;
    /// after that another instance (or this one, restarted) delivers it.
    pub lease_seconds: i64,
    /// DKIM signing (docs/mail.md, "DKIM"): the signing domain (`d=`), empty: no signing.
    pub dkim_domain: String,
    /// The DNS selector (`s=`) under which the public key is published.
    pub dkim_selector: String,
    /// A file with the private key (RSA PEM, PKCS#1 or PKCS#8, or Ed25519 PEM).
    pub dkim_private_key_file: String,
    /// The private key itself, for passing it in the environment instead of a file.
    pub dkim_private_key: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebSettings {
    pub frontend_dir: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UploadSettings {
    pub max_image_bytes: usize,
    pub max_image_pixels: u64,
    pub max_document_bytes: usize,
    pub decode_concurrency: usize,
    pub max_waiting: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricsSettings {
    pub token: String,
    pub bind: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HousekeepingSettings {
    pub enabled: bool,
    pub interval_minutes: i64,
    pub expired_credentials_hours: i64,
    pub login_request_hours: i64,
    pub sent_mail_days: i64,
    pub failed_mail_days: i64,
    pub orphan_upload_hours: i64,
    /// Hours between the digest emails of meeting-request notices (docs/meetings.md).
    pub meeting_digest_hours: i64,
    /// The local hour (0-23, in the event's time zone) from which the day-before reminders
    /// go out (docs/mail.md).
    pub day_before_hour: u32,
}

/// The meeting scheduler's background runs (docs/scheduling.md, "In the app").
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleSettings {
    /// Whether this instance runs a worker that claims runs.
    pub worker: bool,
    /// Seconds between this instance's checks for queued runs.
    pub poll_seconds: u64,
    /// Seconds between a running run's heartbeats.
    pub heartbeat_seconds: u64,
    /// Seconds without a heartbeat after which a running run counts as failed.
    pub stale_seconds: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LiveSettings {
    pub send_timeout_ms: u64,
    pub heartbeat_ms: u64,
    pub idle_timeout_ms: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Pretty,
    Json,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    pub format: LogFormat,
    pub filter: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read settings file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("settings file {path} is not valid TOML: {message}")]
    Parse { path: String, message: String },
    #[error("setting `{setting}` (from {origin}): {message}")]
    Invalid {
        setting: String,
        origin: String,
        message: String,
    },
    #[error("environment variable {name}: {message}")]
    Env { name: String, message: String },
}

/// Where a setting's value came from, so error messages can point at the right place.
type Origins = BTreeMap<String, String>;

impl Settings {
    /// Loads settings from `config/` beside the working directory (or `MATCHFLOOR_CONFIG_DIR`),
    /// the profile in `MATCHFLOOR_PROFILE` and the process environment.
    pub fn load() -> Result<Self, ConfigError> {
        let dir = std::env::var("MATCHFLOOR_CONFIG_DIR").unwrap_or_else(|_| "config".into());
        let profile = std::env::var("MATCHFLOOR_PROFILE")
            .ok()
            .filter(|p| !p.is_empty());
        let env: Vec<(String, String)> = std::env::vars().collect();
        Self::load_from(Path::new(&dir), profile.as_deref(), &env)
    }

    pub fn load_from(
        dir: &Path,
        profile: Option<&str>,
        env: &[(String, String)],
    ) -> Result<Self, ConfigError> {
        let mut origins = Origins::new();
        let mut merged = parse_toml(DEFAULTS, "config/default.toml")?;
        record_origins(&merged, "", "config/default.toml", &mut origins);
        if let Some(profile) = profile {
            let path = dir.join(format!("{profile}.toml"));
            let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Read {
                path: path.display().to_string(),
                source,
            })?;
            let label = format!("profile file {}", path.display());
            let overlay = parse_toml(&text, &label)?;
            record_origins(&overlay, "", &label, &mut origins);
            merge(&mut merged, overlay);
        }
        for (name, value) in env {
            let Some(rest) = name.strip_prefix(ENV_PREFIX) else {
                continue;
            };
            let path: Vec<String> = rest.split("__").map(|p| p.to_ascii_lowercase()).collect();
            if path.iter().any(|p| p.is_empty()) {
                return Err(ConfigError::Env {
                    name: name.clone(),
                    message: "expected MATCHFLOOR__SECTION__KEY".into(),
                });
            }
            set_path(&mut merged, &path, value).map_err(|message| ConfigError::Env {
                name: name.clone(),
                message,
            })?;
            origins.insert(path.join("."), format!("environment variable {name}"));
        }
        let settings: Settings = serde_path_to_error::deserialize(merged).map_err(|err| {
            let setting = err.path().to_string();
            let origin = origins
                .get(&setting)
                .cloned()
                .unwrap_or_else(|| "the merged settings".into());
            ConfigError::Invalid {
                setting,
                origin,
                message: err.into_inner().message().to_string(),
            }
        })?;
        settings.validate(&origins)?;
        Ok(settings)
    }

    fn validate(&self, origins: &Origins) -> Result<(), ConfigError> {
        let invalid = |setting: &str, message: &str| ConfigError::Invalid {
            setting: setting.into(),
            origin: origins.get(setting).cloned().unwrap_or_default(),
            message: message.into(),
        };
        if self.server.bind.parse::<std::net::SocketAddr>().is_err() {
            return Err(invalid(
                "server.bind",
                "expected an address and port such as 127.0.0.1:8080",
            ));
        }
        let url = &self.server.public_url;
        if !(url.is_empty() || url.starts_with("http://") || url.starts_with("https://")) {
            return Err(invalid(
                "server.public_url",
                "expected a URL starting with http:// or https://",
            ));
        }
        let db = &self.database.url;
        if !(db.is_empty()
            || db.starts_with("sqlite:")
            || db.starts_with("postgres://")
            || db.starts_with("postgresql://"))
        {
            return Err(invalid(
                "database.url",
                "expected sqlite://PATH or postgres://USER@HOST/DB (empty for the default SQLite file)",
            ));
        }
        if self.database.max_connections == 0 {
            return Err(invalid("database.max_connections", "must be at least 1"));
        }
        if self.uploads.max_image_bytes < 1024 || self.uploads.max_document_bytes < 1024 {
            return Err(invalid(
                "uploads.max_image_bytes",
                "upload limits must be at least 1024 bytes",
            ));
        }
        if self.uploads.max_image_pixels < 10_000 {
            return Err(invalid(
                "uploads.max_image_pixels",
                "must be at least 10000",
            ));
        }
        if self.uploads.decode_concurrency == 0 {
            return Err(invalid("uploads.decode_concurrency", "must be at least 1"));
        }
        if self.housekeeping.day_before_hour > 23 {
            return Err(invalid(
                "housekeeping.day_before_hour",
                "must be an hour from 0 to 23",
            ));
        }
        for (key, value) in [
            ("schedule.poll_seconds", self.schedule.poll_seconds),
            (
                "schedule.heartbeat_seconds",
                self.schedule.heartbeat_seconds,
            ),
        ] {
            if value == 0 {
                return Err(invalid(key, "must be at least 1"));
            }
        }
        // A run whose heartbeats arrive would otherwise be taken for stopped.
        if self.schedule.stale_seconds < 2 * self.schedule.heartbeat_seconds {
            return Err(invalid(
                "schedule.stale_seconds",
                "must be at least twice schedule.heartbeat_seconds",
            ));
        }
        for (key, value) in [
            ("live.send_timeout_ms", self.live.send_timeout_ms),
            ("live.heartbeat_ms", self.live.heartbeat_ms),
            ("live.idle_timeout_ms", self.live.idle_timeout_ms),
        ] {
            if value == 0 {
                return Err(invalid(key, "must be at least 1"));
            }
        }
        if self.server.max_body_bytes < 1024 {
            return Err(invalid("server.max_body_bytes", "must be at least 1024"));
        }
        for (key, value) in [
            ("auth.login_link_minutes", self.auth.login_link_minutes),
            (
                "auth.invitation_link_hours",
                self.auth.invitation_link_hours,
            ),
            ("auth.session_days", self.auth.session_days),
            (
                "auth.rate_limit_window_minutes",
                self.auth.rate_limit_window_minutes,
            ),
            ("mail.retry_base_seconds", self.mail.retry_base_seconds),
            (
                "housekeeping.interval_minutes",
                self.housekeeping.interval_minutes,
            ),
            (
                "housekeeping.login_request_hours",
                self.housekeeping.login_request_hours,
            ),
            (
                "housekeeping.orphan_upload_hours",
                self.housekeeping.orphan_upload_hours,
            ),
            (
                "housekeeping.meeting_digest_hours",
                self.housekeeping.meeting_digest_hours,
            ),
            ("mail.stall_seconds", self.mail.stall_seconds),
        ] {
            if value <= 0 {
                return Err(invalid(key, "must be a positive number"));
            }
        }
        for (key, value) in [
            (
                "housekeeping.expired_credentials_hours",
                self.housekeeping.expired_credentials_hours,
            ),
            (
                "housekeeping.sent_mail_days",
                self.housekeeping.sent_mail_days,
            ),
            (
                "housekeeping.failed_mail_days",
                self.housekeeping.failed_mail_days,
            ),
        ] {
            if value < 0 {
                return Err(invalid(key, "must be zero or more"));
            }
        }
        // The rate limits count these rows; removing them earlier would lift the limits.
        if self.housekeeping.login_request_hours.saturating_mul(60)
            < self.auth.rate_limit_window_minutes
        {
            return Err(invalid(
                "housekeeping.login_request_hours",
                "must cover auth.rate_limit_window_minutes",
            ));
        }
        for (key, value) in [
            (
                "server.request_timeout_seconds",
                self.server.request_timeout_seconds,
            ),
            (
                "server.upload_timeout_seconds",
                self.server.upload_timeout_seconds,
            ),
        ] {
            // Also keeps Duration::from_secs_f64 from panicking on NaN or huge values.
            if !(value > 0.0 && value <= 86_400.0) {
                return Err(invalid(
                    key,
                    "must be more than 0 and at most 86400 seconds",
                ));
            }
        }
        if !self.metrics.bind.is_empty()
            && self.metrics.bind.parse::<std::net::SocketAddr>().is_err()
        {
            return Err(invalid(
                "metrics.bind",
                "expected an address and port such as 127.0.0.1:9090, or empty",
            ));
        }
        if let Err(message) = crate::forwarded::parse_ranges(&self.auth.trusted_proxies) {
            return Err(invalid("auth.trusted_proxies", &message));
        }
        // The cooldown is read from the records the window keeps.
        let cooldown = self.auth.login_mail_cooldown_seconds;
        if cooldown < 0 || cooldown > self.auth.rate_limit_window_minutes * 60 {
            return Err(invalid(
                "auth.login_mail_cooldown_seconds",
                "must be 0 (none) up to the rate-limit window (auth.rate_limit_window_minutes)",
            ));
        }
        if self.mail.max_attempts <= 0 {
            return Err(invalid("mail.max_attempts", "must be a positive number"));
        }
        if !(1..=64).contains(&self.mail.concurrency) {
            return Err(invalid("mail.concurrency", "must be from 1 to 64"));
        }
        // Renewed every third of it: at least a second between renewals.
        if self.mail.lease_seconds < 3 {
            return Err(invalid("mail.lease_seconds", "must be at least 3"));
        }
        let dkim = &self.mail;
        let signing = !dkim.dkim_domain.trim().is_empty();
        let key_given = [&dkim.dkim_private_key_file, &dkim.dkim_private_key]
            .iter()
            .filter(|v| !v.trim().is_empty())
            .count();
        if signing && dkim.dkim_selector.trim().is_empty() {
            return Err(invalid(
                "mail.dkim_selector",
                "required when mail.dkim_domain is set",
            ));
        }
        if signing && key_given != 1 {
            return Err(invalid(
                "mail.dkim_private_key_file",
                "when mail.dkim_domain is set, give the key in exactly one of mail.dkim_private_key_file or mail.dkim_private_key",
            ));
        }
        if !signing && (key_given > 0 || !dkim.dkim_selector.trim().is_empty()) {
            return Err(invalid(
                "mail.dkim_domain",
                "required when a DKIM selector or key is set",
            ));
        }
        if !self.mail.from_address.contains('@') {
            return Err(invalid("mail.from_address", "expected an email address"));
        }
        if !self.mail.reply_to.trim().is_empty() && !self.mail.reply_to.contains('@') {
            return Err(invalid(
                "mail.reply_to",
                "expected an email address, or nothing",
            ));
        }
        if self.mail.transport == MailTransport::Smtp && self.mail.smtp_host.trim().is_empty() {
            return Err(invalid(
                "mail.smtp_host",
                "required when mail.transport is \"smtp\"",
            ));
        }
        Ok(())
    }

    /// The database URL, with the embedded SQLite default filled in.
    pub fn database_url(&self) -> String {
        if self.database.url.is_empty() {
            format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("matchfloor.db").display()
            )
        } else {
            self.database.url.clone()
        }
    }

    pub fn mail_dir(&self) -> PathBuf {
        self.data_dir.join("mail")
    }
}

fn parse_toml(text: &str, label: &str) -> Result<toml::Value, ConfigError> {
    text.parse::<toml::Table>()
        .map(toml::Value::Table)
        .map_err(|err| ConfigError::Parse {
            path: label.into(),
            message: err.message().to_string(),
        })
}

fn record_origins(value: &toml::Value, prefix: &str, origin: &str, origins: &mut Origins) {
    if let toml::Value::Table(table) = value {
        for (key, child) in table {
            let path = if prefix.is_empty() {
                key.clone()
            } else {
                format!("{prefix}.{key}")
            };
            record_origins(child, &path, origin, origins);
            origins.insert(path, origin.into());
        }
    }
}

fn merge(base: &mut toml::Value, overlay: toml::Value) {
    match (base, overlay) {
        (toml::Value::Table(base), toml::Value::Table(overlay)) => {
            for (key, value) in overlay {
                match base.get_mut(&key) {
                    Some(existing) => merge(existing, value),
                    None => {
                        base.insert(key, value);
                    }
                }
            }
        }
        (base, overlay) => *base = overlay,
    }
}

fn set_path(root: &mut toml::Value, path: &[String], raw: &str) -> Result<(), String> {
    let mut node = root;
    for (i, key) in path.iter().enumerate() {
        let toml::Value::Table(table) = node else {
            return Err(format!("`{}` is not a section", path[..i].join(".")));
        };
        if i == path.len() - 1 {
            // Keep strings for settings whose default is a string, so "8080" stays text.
            let value = match table.get(key) {
                Some(toml::Value::String(_)) => toml::Value::String(raw.to_string()),
                _ => env_value(raw),
            };
            table.insert(key.clone(), value);
            return Ok(());
        }
        node = table
            .entry(key.clone())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
    }
    Ok(())
}

/// An environment value is read as a TOML scalar when it is one (numbers, booleans),
/// otherwise as a plain string.
fn env_value(raw: &str) -> toml::Value {
    match format!("v = {raw}").parse::<toml::Table>() {
        Ok(mut table) => match table.remove("v") {
            Some(
                v @ (toml::Value::Integer(_) | toml::Value::Float(_) | toml::Value::Boolean(_)),
            ) => v,
            _ => toml::Value::String(raw.to_string()),
        },
        Err(_) => toml::Value::String(raw.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_load_and_environment_overrides() {
        let s = Settings::load_from(
            Path::new("config"),
            None,
            &env(&[
                ("MATCHFLOOR__SERVER__BIND", "0.0.0.0:9000"),
                ("MATCHFLOOR__DATA_DIR", "/srv/mf"),
                ("MATCHFLOOR__AUTH__SESSION_DAYS", "3"),
            ]),
        )
        .unwrap();
        assert_eq!(s.server.bind, "0.0.0.0:9000");
        assert_eq!(s.data_dir, PathBuf::from("/srv/mf"));
        assert_eq!(s.auth.session_days, 3);
        assert!(s.database_url().starts_with("sqlite://"));
    }

    #[test]
    fn profile_overrides_defaults() {
        let s = Settings::load_from(Path::new("config"), Some("test"), &[]).unwrap();
        assert_eq!(s.server.bind, "127.0.0.1:0");
    }

    #[test]
    fn wrong_values_name_the_setting() {
        let err = Settings::load_from(
            Path::new("config"),
            None,
            &env(&[("MATCHFLOOR__AUTH__SESSION_DAYS", "many")]),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("auth.session_days"), "{err}");
        assert!(err.contains("MATCHFLOOR__AUTH__SESSION_DAYS"), "{err}");

        let err = Settings::load_from(
            Path::new("config"),
            None,
            &env(&[("MATCHFLOOR__SERVER__BND", "x")]),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("bnd"), "{err}");

        let err = Settings::load_from(
            Path::new("config"),
            None,
            &env(&[("MATCHFLOOR__SERVER__BIND", "nowhere")]),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("server.bind"), "{err}");

        for (name, value, setting) in [
            (
                "MATCHFLOOR__SERVER__REQUEST_TIMEOUT_SECONDS",
                "0",
                "server.request_timeout_seconds",
            ),
            (
                "MATCHFLOOR__HOUSEKEEPING__LOGIN_REQUEST_HOURS",
                "0",
                "housekeeping.login_request_hours",
            ),
            ("MATCHFLOOR__METRICS__BIND", "metrics-host", "metrics.bind"),
        ] {
            let err = Settings::load_from(Path::new("config"), None, &env(&[(name, value)]))
                .unwrap_err()
                .to_string();
            assert!(err.contains(setting), "{err}");
        }
        // Login requests must outlive the rate-limit window that counts them.
        let err = Settings::load_from(
            Path::new("config"),
            None,
            &env(&[("MATCHFLOOR__AUTH__RATE_LIMIT_WINDOW_MINUTES", "1500")]),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("housekeeping.login_request_hours"), "{err}");

        let err = Settings::load_from(
            Path::new("config"),
            None,
            &env(&[(
                "MATCHFLOOR__AUTH__TRUSTED_PROXIES",
                "10.0.0.0/8, lb.internal",
            )]),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("auth.trusted_proxies"), "{err}");
        assert!(err.contains("lb.internal"), "{err}");

        let err = Settings::load_from(Path::new("config"), Some("nope"), &[])
            .unwrap_err()
            .to_string();
        assert!(err.contains("nope.toml"), "{err}");
    }
}
