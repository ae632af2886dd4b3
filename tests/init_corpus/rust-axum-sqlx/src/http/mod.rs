use sqlx::PgPool;
/// using a separate actix-web `Data` extractor for each of `Config`, `PgPool`, etc.
    db: PgPool,
pub async fn serve(config: Config, db: PgPool) -> anyhow::Result<()> {
    // We use 8080 as our default HTTP server port, it's pretty easy to remember.
    // Note that any port below 1024 needs superuser privileges to bind on Linux,
    axum::Server::bind(&"0.0.0.0:8080".parse()?)
