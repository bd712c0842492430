use clap::Parser;
use keyproj::{Application, Settings};
use tracing_subscriber::EnvFilter;

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let settings = Settings::parse();
    let app = Application::build(settings).await?;
    tracing::info!(port = app.port(), "keyproj is serving");
    app.run_until_stopped().await?;
    Ok(())
}
