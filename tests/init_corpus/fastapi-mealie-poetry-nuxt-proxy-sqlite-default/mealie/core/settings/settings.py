from pydantic_settings import BaseSettings, SettingsConfigDict


class AppSettings(AppLoggingSettings):
    API_HOST: str = "0.0.0.0"
    API_PORT: int = 9000

    DB_ENGINE: str = "sqlite"  # Options: 'sqlite', 'postgres'
