use crate::constants::env_key;
use std::env;
fn get_secret_key() -> String {
    env::var(env_key::SECRET_KEY).expect("SECRET_KEY must be set")
}
