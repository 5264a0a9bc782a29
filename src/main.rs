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
    Demo,
    /// Manage platform administrators.
    Admin {
        #[command(subcommand)]
        action: AdminAction,
    },
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

async fn run(command: Command, settings: Settings) -> anyhow::Result<()> {
    match command {
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
        Command::Demo => {
            let report = matchfloor::demo::run(settings).await?;
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
