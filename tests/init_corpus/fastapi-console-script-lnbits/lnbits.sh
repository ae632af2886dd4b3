#!/usr/bin/env bash
HOST="${HOST:-0.0.0.0}"
PORT="${PORT:-5000}"
uv sync --python 3.12 --all-extras --no-dev
export HOST="$HOST"
export PORT="$PORT"
  sudo ufw allow "$PORT"/tcp || true
exec uv run --python 3.12 lnbits
