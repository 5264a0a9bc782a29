//! What the load tools share: a matchfloor server started as its own process on a
//! loopback port, logging in with a login link over HTTP, percentiles and a deterministic
//! random number generator.

// Each bench includes this module and uses only a part of it.
#![allow(dead_code)]

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

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
