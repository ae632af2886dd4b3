# devenv's make targets. The benchmark needs a running engine and the bench extra
# (scripts/setup-engine, scripts/setup-venv); see bench/README.md.
PYTHON ?= .venv/bin/python
BENCH_ARGS ?=

.PHONY: bench bench-quick

bench:  ## the full benchmark against Docker Compose (hours on 2 cores: the 200-service cases)
	$(PYTHON) -m bench $(BENCH_ARGS)

bench-quick:  ## the smoke subset (< 2 min); checks behaviour, asserts nothing about speed
	$(PYTHON) -m bench --quick $(BENCH_ARGS)
