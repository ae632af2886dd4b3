#! /usr/bin/env bash
exec "$CURDIR/bin/product"
