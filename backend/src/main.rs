use clap::Parser;
use keyproj::{Application, AuditCommand, Cli, Command};
use tracing_subscriber::EnvFilter;

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let cli = Cli::parse();
    match cli.command {
        Some(Command::MigrateData { from, to, replace }) => {
            let report = actix_web::rt::task::spawn_blocking(move || {
                keyproj::migrate_data::run(&from, &to, replace)
            })
            .await??;
            report.print();
        }
        Some(Command::Backup { to, force }) => {
            let url = cli.settings.database_url;
            let backup =
                actix_web::rt::task::spawn_blocking(move || keyproj::backup::run(&url, &to, force))
                    .await??;
            backup.print();
        }
        Some(Command::User { command }) => {
            let settings = cli.settings;
            actix_web::rt::task::spawn_blocking(move || {
                let stdin = std::io::stdin();
                let mut input = stdin.lock();
                let mut out = std::io::stdout();
                keyproj::cli::run_user_command(&settings, &command, &mut input, &mut out)
            })
            .await??;
        }
        Some(Command::Audit {
            command: AuditCommand::Verify { anchor },
        }) => {
            let url = cli.settings.database_url;
            let verdict = actix_web::rt::task::spawn_blocking(move || {
                keyproj::audit::verify::verify_database(&url, anchor.as_ref())
            })
            .await??;
            println!("{verdict}");
            if !verdict.is_intact() {
                std::process::exit(1);
            }
        }
        None => {
            let app = Application::build(cli.settings).await?;
            tracing::info!(port = app.port(), "keyproj is serving");
            app.run_until_stopped().await?;
        }
    }
    Ok(())
}
