#! /usr/bin/env bash
python app/backend_pre_start.py
alembic upgrade head
python app/initial_data.py
