  if env::var("LEMMY_INITIALIZE_WITH_DEFAULT_SETTINGS").is_ok() {
      "LEMMY_INITIALIZE_WITH_DEFAULT_SETTINGS was set, any configuration file has been ignored."
      "Use with other environment variables to configure this instance further; e.g. LEMMY_DATABASE_URL."
  /// Note: The env var `LEMMY_DATABASE_URL` is parsed in
      env::var("LEMMY_CONFIG_LOCATION").unwrap_or_else(|_| DEFAULT_CONFIG_FILE.to_string());
    if let Ok(url) = env::var("LEMMY_DATABASE_URL") {
