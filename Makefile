# The two commands a newcomer needs: `make demo` and `make test`.
# Each installs everything first (apt packages, .venv, pip) via scripts/setup.sh.
VENV := .venv/bin
export NUMBA_CACHE_DIR := $(CURDIR)/.venv/numba-cache
export OMP_NUM_THREADS ?= 1

.PHONY: setup demo test test-fast test-slow lint

setup:
	@bash scripts/setup.sh

demo: setup
	@bash scripts/demo.sh

lint: setup
	$(VENV)/ruff check plugin tests scripts
	$(VENV)/ruff format --check plugin tests scripts
	$(VENV)/mypy

test: lint
	$(VENV)/pytest -q -m "not slow"
	$(VENV)/pytest -q -m slow

test-fast: setup
	$(VENV)/pytest -q -m "not slow and not integration"
