# The quick start: `make run` (the app with demo data) and `make test` (the whole suite).
# Needs Python 3.11+ only; PostgreSQL and Redis are used when DATABASE_URL / REDIS_URL are set.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-requirements
HOST ?= 127.0.0.1
PORT ?= 8000

# CI (CI=true) runs the suite on the real services, never on the fallbacks.
ifeq ($(CI),true)
export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/tracker
export REDIS_URL ?= redis://127.0.0.1:6379/0
endif

.PHONY: run test install lint format services-check clean

$(STAMP): requirements.txt
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

install: $(STAMP)

run: install
	@if [ -z "$$DATABASE_URL" ]; then echo "No DATABASE_URL: using SQLite (db.sqlite3)."; fi
	@if [ -z "$$REDIS_URL" ]; then echo "No REDIS_URL: using the in-memory channel layer (one process only)."; fi
	DEBUG=true $(BIN)/python manage.py migrate --verbosity 0
	DEBUG=true $(BIN)/python manage.py demo_setup
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl-C stops)"
	DEBUG=true $(BIN)/daphne --bind $(HOST) --port $(PORT) --websocket-max-frame-size 4096 tracker.asgi:application

services-check: install
ifeq ($(CI),true)
	$(BIN)/python -c 'import os, psycopg, urllib.parse as u; psycopg.connect(u.urlsplit(os.environ["DATABASE_URL"])._replace(path="/postgres").geturl(), connect_timeout=5).close()' \
	  || { echo "CI: PostgreSQL is not reachable at $$DATABASE_URL"; exit 1; }
	$(BIN)/python -c 'import os, redis; redis.Redis.from_url(os.environ["REDIS_URL"], socket_timeout=5).ping()' \
	  || { echo "CI: Redis is not reachable at $$REDIS_URL"; exit 1; }
	test -x /usr/bin/chromium || { echo "CI: /usr/bin/chromium is missing (apt-get install chromium)"; exit 1; }
endif

test: install services-check
	@echo "Database: $${DATABASE_URL:-SQLite}; channel layer: $${REDIS_URL:-in-memory}"
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache
