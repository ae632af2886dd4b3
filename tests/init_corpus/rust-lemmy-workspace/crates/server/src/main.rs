#[tokio::main]
pub async fn main() -> LemmyResult<()> {
