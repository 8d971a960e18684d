# Two commands: `make run` serves the portal with its content; `make test` runs the suite.
# Both set up what they need first and are safe to repeat.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The development server runs with DEBUG on unless told otherwise.
export DEBUG ?= 1

.PHONY: run test bench setup migrate content check format clean

run: setup migrate content
	$(BIN)/python manage.py create_demo_users --url http://127.0.0.1:$(PORT)
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: $(VENV)/.dev-installed
	$(BIN)/python -m pytest $(PYTEST_ARGS)

setup: $(VENV)/.installed

migrate: setup
	$(BIN)/python manage.py migrate --noinput

content: migrate
	$(BIN)/python manage.py configure_site
	$(BIN)/python manage.py load_site_content
	$(BIN)/python manage.py create_enquiry_handlers_group
	$(BIN)/python manage.py create_clinic_administrators_group

# Throughput and latency under gunicorn with production settings, measured with wrk on
# PostgreSQL and Redis when they answer (SQLite and local memory otherwise).
bench: setup
	$(BIN)/python scripts/benchmark.py $(BENCH_ARGS)

# Lint and sanity checks, in the order CI runs them.
check: $(VENV)/.dev-installed
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/python manage.py check --fail-level WARNING
	$(BIN)/python manage.py makemigrations --check --dry-run --noinput

format: $(VENV)/.dev-installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==25.3

$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

clean:
	rm -rf $(VENV) staticfiles .secret_key *.sqlite3 *.sqlite3-*
