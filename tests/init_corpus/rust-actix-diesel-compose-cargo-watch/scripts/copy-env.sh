#!/bin/sh

#  Create .env
cp .env.example .env