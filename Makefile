# Hotline: `make run` starts everything on a fresh machine; `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := hotline.settings
# With DEBUG off Hotline does not start without a real SECRET_KEY: make's commands use one made once for this
# checkout (var/secret_key) unless the environment gives one.
ifndef SECRET_KEY
export SECRET_KEY := $(shell mkdir -p var && (test -s var/secret_key || $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret_key) && cat var/secret_key)
endif

.PHONY: setup run test lint bench bench-smoke clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

setup: $(VENV)/.installed

run: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_calendar
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py seed_demo
	PORT=$(PORT) $(BIN)/python -m hotline.serve

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf var/ $(VENV)

bench: setup
	$(BIN)/python bench/generate.py --n 1000000 && $(BIN)/python bench/run.py

bench-smoke: setup
	$(BIN)/python bench/generate.py --n 20000 --database hotline_bench_smoke && $(BIN)/python bench/run.py --database hotline_bench_smoke --seconds 1 --warmup 0.5 --output var/bench/RESULTS-smoke.md
