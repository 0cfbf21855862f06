# civgrid: `make demo` to try it, `make test` to run every test. See README.md.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
# PostgreSQL for the second test run: DATABASE_URL when it names a PostgreSQL server, else
# the local one. Django creates and drops the test_<name> database itself.
PG_TEST_URL ?= $(if $(filter postgres%,$(DATABASE_URL)),$(DATABASE_URL),postgres://postgres@127.0.0.1:5432/civgrid)
CHROMIUM ?= /usr/bin/chromium
DEMO_DB := var/civgrid.sqlite3

.PHONY: demo test test-sqlite test-postgres lint install install-test install-dev browser messages clean stack install-stack

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PIP) install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(PIP) install -q -e '.[test]'
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed-test
	$(PIP) install -q -e '.[test,dev]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test browser
install-dev: $(VENV)/.installed-dev

# Browser tests drive Debian's Chromium (Playwright's own browser download is not used).
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "Installing Debian's chromium for the browser tests"; \
			apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; \
		else \
			echo "Browser tests need $(CHROMIUM): run 'sudo apt-get install chromium'"; exit 1; \
		fi; \
	fi

# The demo runs with DEBUG on (tracebacks, static files from the source tree, the demo key);
# production runs `civgrid serve` with DEBUG off (docs/operations.md).
demo: export CIVGRID_DEBUG = 1
demo: install
	mkdir -p var
	$(PY) -m civgrid.cli migrate --noinput -v 0
	$(PY) -m civgrid.cli demo-data --if-empty
	$(PY) -m civgrid.cli demo-logins
	@echo "civgrid at http://127.0.0.1:8000 with its task worker and scheduler; Ctrl-C stops all three"
	$(PY) -m civgrid.supervise "runserver 127.0.0.1:8000" "db_worker --no-reload" "scheduler"

# The deployment of compose.yaml as local processes (docs/operations.md, "Several machines"):
# 2 web processes + task worker + scheduler on PostgreSQL + Redis. Override any variable, e.g.
# `make stack STACK_DATABASE_URL=postgres://civgrid:pw@db/civgrid`.
STACK_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/civgrid_stack
STACK_REDIS_URL ?= redis://127.0.0.1:6379/2
STACK_VAR_DIR ?= var/stack

$(VENV)/.installed-stack: pyproject.toml $(VENV)/.installed
	$(PIP) install -q -e '.[rq,s3]'
	touch $@

install-stack: $(VENV)/.installed-stack

stack: install-stack
	@$(PY) -c "import psycopg; u='$(STACK_DATABASE_URL)'; b,n=u.rsplit('/',1); c=psycopg.connect(b+'/postgres',autocommit=True); c.execute('SELECT 1 FROM pg_database WHERE datname=%s',(n,)).fetchone() or c.execute('CREATE DATABASE \"'+n+'\"')"
	DATABASE_URL=$(STACK_DATABASE_URL) CIVGRID_REDIS_URL=$(STACK_REDIS_URL) CIVGRID_TASKS=rq \
	CIVGRID_VAR_DIR=$(STACK_VAR_DIR) CIVGRID_ALLOWED_HOSTS=127.0.0.1,localhost \
	CIVGRID_SECRET_KEY=$${CIVGRID_SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')} \
	$(PY) -m civgrid.ops.stack

test: install-test test-sqlite test-postgres

test-sqlite:
	@echo "== test suite on SQLite =="
	env -u DATABASE_URL $(PY) -m pytest -q

test-postgres:
	@if $(PY) -c "import psycopg,sys; psycopg.connect('$(PG_TEST_URL)'.rsplit('/',1)[0]+'/postgres', connect_timeout=3).close()" 2>/dev/null; then \
		echo "== test suite on PostgreSQL ($(PG_TEST_URL)) =="; \
		DATABASE_URL=$(PG_TEST_URL) $(PY) -m pytest -q; \
	else \
		echo "!! PostgreSQL not reachable at $(PG_TEST_URL): SKIPPED the PostgreSQL run"; \
	fi

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy civgrid

messages: install
	cd civgrid && ../$(PY) -m civgrid.cli makemessages -l zh_Hans -l en --no-obsolete -i "tests/*"
	cd civgrid && ../$(PY) -m civgrid.cli compilemessages

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
