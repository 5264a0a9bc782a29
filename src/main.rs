//! The matchfloor command line: serve (the default), migrate, demo and admin.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use matchfloor::app::{Application, shutdown_signal};
use matchfloor::config::Settings;

#[derive(Parser)]
#[command(
    name = "matchfloor",
    version,
    about = "Buyer meets Supplier matchmaking events"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (the default when no command is given).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Fill the database with a realistic demo event and print login links.
    Demo {
        /// Then schedule the event's meetings and publish them, as its organiser would.
        #[arg(long)]
        schedule: bool,
    },
    /// Schedule meetings: read a matchfloor-instance/1 file, print a matchfloor-schedule/1 document.
    Solve(SolveArgs),
    /// Manage platform administrators.
    Admin {
        #[command(subcommand)]
        action: AdminAction,
    },
}

#[derive(clap::Args)]
struct SolveArgs {
    /// The instance file (JSON); `-` reads standard input.
    instance: String,
    /// Stop searching after this many seconds.
    #[arg(long, default_value_t = 20.0)]
    time_limit: f64,
    /// Seed for the search; the same seed gives the same schedule.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// When re-solving: what keeping a previous meeting in its slot is worth.
    #[arg(long, default_value_t = 10)]
    change_penalty: i64,
    /// Annealing steps (default: in proportion to the number of requests).
    #[arg(long)]
    iterations: Option<u64>,
}

#[derive(Subcommand)]
enum AdminAction {
    /// Make someone a platform administrator and print a login link for them.
    Add {
        email: String,
        /// Name for a person who does not exist yet.
        #[arg(long)]
        name: Option<String>,
    },
    /// Take platform administration away from someone.
    Remove { email: String },
    /// List the platform administrators.
    List,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    // Solving needs no settings, database or server.
    if let Some(Command::Solve(args)) = &cli.command {
        return match solve(args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("matchfloor solve: {err:#}");
                ExitCode::from(2)
            }
        };
    }
    let settings = match Settings::load() {
        Ok(settings) => settings,
        Err(err) => {
            eprintln!("matchfloor: {err}");
            return ExitCode::from(2);
        }
    };
    matchfloor::telemetry::init(&settings.log);
    match run(cli.command.unwrap_or(Command::Serve), settings).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("matchfloor: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn solve(args: &SolveArgs) -> anyhow::Result<()> {
    use anyhow::Context;
    use matchfloor::scheduling::{Options, parse_instance, solve};
    let path = args.instance.as_str();
    let text = if path == "-" {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text).map(|_| text)
    } else {
        std::fs::read_to_string(path)
    }
    .with_context(|| format!("cannot read {path}"))?;
    if !(args.time_limit.is_finite() && args.time_limit > 0.0) {
        anyhow::bail!("--time-limit must be a positive number of seconds");
    }
    let problem = parse_instance(&text).with_context(|| path.to_string())?;
    let options = Options {
        time_limit: std::time::Duration::from_secs_f64(args.time_limit),
        seed: args.seed,
        change_penalty: args.change_penalty,
        iterations: args.iterations,
    };
    let schedule = solve(&problem, &options);
    println!("{}", serde_json::to_string(&schedule)?);
    Ok(())
}

async fn run(command: Command, settings: Settings) -> anyhow::Result<()> {
    match command {
        Command::Solve(args) => solve(&args),
        Command::Serve => {
            let app = Application::build(settings).await?;
            app.run_until_stopped(shutdown_signal()).await
        }
        Command::Migrate => {
            let db = matchfloor::db::connect(&settings).await?;
            matchfloor::db::migrate(&db).await?;
            println!("The database is up to date.");
            Ok(())
        }
        Command::Demo { schedule } => {
            let report = matchfloor::demo::run(settings, schedule).await?;
            print!("{report}");
            Ok(())
        }
        Command::Admin { action } => {
            let state = offline_state(settings).await?;
            match action {
                AdminAction::Add { email, name } => {
                    let link =
                        matchfloor::auth::service::add_admin(&state, &email, name.as_deref())
                            .await
                            .map_err(|e| anyhow::anyhow!("{e}"))?;
                    println!("{email} is a platform administrator.");
                    println!(
                        "Log in within {} minutes with: {link}",
                        state.settings.auth.login_link_minutes
                    );
                }
                AdminAction::Remove { email } => {
                    let found = matchfloor::auth::service::remove_admin(&state, &email)
                        .await
                        .map_err(|e| anyhow::anyhow!("{e}"))?;
                    if found {
                        println!("{email} is no longer a platform administrator.");
                    } else {
                        anyhow::bail!("nobody with the email address {email}");
                    }
                }
                AdminAction::List => {
                    for person in matchfloor::auth::service::list_admins(&state)
                        .await
                        .map_err(|e| anyhow::anyhow!("{e}"))?
                    {
                        println!("{}\t{}", person.email, person.name);
                    }
                }
            }
            Ok(())
        }
    }
}

/// The state for commands that use the database but do not serve.
async fn offline_state(settings: Settings) -> anyhow::Result<matchfloor::state::AppState> {
    let db = matchfloor::db::connect(&settings).await?;
    matchfloor::db::migrate(&db).await?;
    let addr = settings.server.bind.parse()?;
    Ok(matchfloor::app::build_state(settings, db, addr))
}
