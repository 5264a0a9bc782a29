//! Load tool for image uploads: starts a matchfloor server (a release build by default) on
//! a loopback port with a fresh SQLite database, sends N uploads of a small PNG that
//! unpacks to a huge bitmap all at once, and reports the server's peak resident memory
//! (VmHWM from /proc/PID/status, Linux) before and after.
//!
//!   cargo build --release
//!   cargo bench --bench upload_memory -- --uploads 16
//!   cargo bench --bench upload_memory -- --binary path/to/other/matchfloor
//!
//! Traffic goes only to the server it starts, in a bounded number of requests.

mod support;

use std::time::Instant;

use clap::Parser;
use serde_json::{Value, json};
use support::{Server, log_in, token_in};

#[derive(Parser)]
struct Args {
    /// The server binary to measure.
    #[arg(long, default_value = "target/release/matchfloor")]
    binary: String,
    /// Uploads sent at the same time.
    #[arg(long, default_value_t = 16)]
    uploads: usize,
    /// Size of the image, in pixels each way.
    #[arg(long, default_value_t = 6000)]
    pixels: u32,
    /// Set by `cargo bench`; ignored.
    #[arg(long)]
    bench: bool,
}

/// A one-colour RGB PNG at the strongest compression: a 6000 x 6000 one is about 105 KB
/// on the wire and 108 MB as a bitmap.
fn bomb(pixels: u32) -> anyhow::Result<Vec<u8>> {
    use image::ImageEncoder;
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    let raw = vec![200u8; pixels as usize * pixels as usize * 3];
    let mut out = Vec::new();
    PngEncoder::new_with_quality(&mut out, CompressionType::Best, FilterType::NoFilter)
        .write_image(&raw, pixels, pixels, image::ExtendedColorType::Rgb8)?;
    Ok(out)
}

/// A memory figure of a process in MB, e.g. "VmHWM" (peak) or "VmRSS" (now).
fn memory_mb(pid: u32, field: &str) -> anyhow::Result<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{field}:")))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| anyhow::anyhow!("no {field} in /proc/{pid}/status"))?;
    Ok(kb / 1024.0)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let dir = tempfile::tempdir()?;
    let server = Server::start(
        &args.binary,
        &[
            ("MATCHFLOOR__DATA_DIR", dir.path().display().to_string()),
            (
                "MATCHFLOOR__DATABASE__URL",
                format!(
                    "sqlite://{}?mode=rwc",
                    dir.path().join("bench.db").display()
                ),
            ),
        ],
    )
    .await?;
    let (base, pid) = (server.base.clone(), server.pid());
    let client = reqwest::Client::builder().cookie_store(true).build()?;
    let printed = server.command(&args.binary, &["admin", "add", "bench@example.org"])?;
    let token = token_in(&printed)
        .ok_or_else(|| anyhow::anyhow!("no login link from admin add: {printed}"))?;
    let csrf = log_in(&client, &base, &token).await?.csrf;
    let event: Value = client
        .post(format!("{base}/api/events"))
        .header("x-csrf-token", &csrf)
        .json(&json!({ "name": "Upload memory", "start_date": "2027-03-11", "timezone": "Europe/Brussels" }))
        .send()
        .await?
        .json()
        .await?;
    let event_id = event["id"]
        .as_str()
        .ok_or_else(|| anyhow::anyhow!("could not create the event: {event}"))?
        .to_string();

    let png = bomb(args.pixels)?;
    let before = memory_mb(pid, "VmHWM")?;
    let started = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..args.uploads {
        let (client, csrf, png) = (client.clone(), csrf.clone(), png.clone());
        let url = format!("{base}/api/events/{event_id}/uploads");
        tasks.push(tokio::spawn(async move {
            let response = client
                .post(url)
                .query(&[("purpose", "image"), ("filename", &format!("big-{i}.png"))])
                .header("x-csrf-token", csrf)
                .header("content-type", "image/png")
                .body(png)
                .send()
                .await?;
            let status = response.status().as_u16();
            let body = response.text().await.unwrap_or_default();
            anyhow::Ok((status, body))
        }));
    }
    let mut statuses = std::collections::BTreeMap::<u16, usize>::new();
    let mut example_error = None;
    for task in tasks {
        let (status, body) = task.await??;
        *statuses.entry(status).or_default() += 1;
        if status >= 300 && example_error.is_none() {
            example_error = Some(body);
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    let after = memory_mb(pid, "VmHWM")?;
    let now = memory_mb(pid, "VmRSS")?;
    println!("binary               {}", args.binary);
    println!(
        "image                {} x {} PNG, {:.0} KB ({:.0} MB as RGB)",
        args.pixels,
        args.pixels,
        png.len() as f64 / 1000.0,
        f64::from(args.pixels).powi(2) * 3.0 / 1e6
    );
    println!("parallel uploads     {}", args.uploads);
    println!("answers              {statuses:?}");
    if let Some(body) = example_error {
        println!("first error          {body}");
    }
    println!("seconds              {seconds:.2}");
    println!("peak RSS before (MB) {before:.0}");
    println!("peak RSS after (MB)  {after:.0}");
    println!("RSS now (MB)         {now:.0}");
    drop(server);
    Ok(())
}
