use sqlx::postgres::PgPoolOptions;
#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let db = PgPoolOptions::new()
    // is migrated correctly on startup
    sqlx::migrate!().run(&db).await?;
    http::serve(config, db).await?;
