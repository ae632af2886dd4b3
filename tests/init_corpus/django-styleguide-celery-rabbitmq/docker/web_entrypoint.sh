#!/bin/bash
gunicorn config.wsgi:application -b 0.0.0.0:$PORT
