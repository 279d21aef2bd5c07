# Everything a developer runs. `make run` and `make test` set up whatever is missing first.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
STAMP := $(VENV)/.installed-stamp
export PYTHONDONTWRITEBYTECODE := 1
# These targets are for a developer's computer: ask for the development configuration (captured
# mail at /dev/mail/, the development key, links to localhost:5000). Without MARKETPLACE_ENV the
# site is a production one and refuses to start without its secret key and server name.
export MARKETPLACE_ENV ?= development

.PHONY: run test lint format translations translations-update db-upgrade demo-data clean

# Fall back to python3 when python3.11 is not on PATH under that name.
ifeq (, $(shell command -v $(PYTHON) 2>/dev/null))
PYTHON := python3
endif

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

## translations: compile the .po catalogs into the .mo files the site reads
translations: $(STAMP)
	$(FLASK) translate compile

## translations-update: extract strings from code and templates and merge them into every catalog
translations-update: $(STAMP)
	$(FLASK) translate update

## db-upgrade: bring the database schema up to date (SQLite file in instance/ by default)
db-upgrade: $(STAMP)
	$(FLASK) db upgrade

## demo-data: load demo sites and accounts if the database has no accounts yet
demo-data: db-upgrade
	$(FLASK) demo load

## run: set everything up and serve the site with demo data on http://127.0.0.1:5000
run: translations demo-data
	$(FLASK) run --host 127.0.0.1 --port 5000

## lint: check style with ruff
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## format: fix style with ruff
format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## test: set everything up, check style and run the whole test suite, one worker per core
## (PYTEST_ARGS="-n 0" runs it in one process, e.g. to use a debugger)
PYTEST_ARGS ?= -n auto
test: translations lint
	$(BIN)/pytest $(PYTEST_ARGS)

## screenshots: retake the README's screenshots (docs/screenshots/) from the demo data; needs Chromium
.PHONY: screenshots
screenshots: translations
	$(BIN)/python scripts/screenshots.py

## bench-data: fill a database with a synthetic programme at scale (BENCH_ARGS, e.g.
## "--scale 0.1" or "--database postgresql://postgres@127.0.0.1:5432/bench"; see --help)
.PHONY: bench-data bench-web bench-matching
BENCH_ARGS ?=
bench-data: translations
	$(BIN)/python scripts/bench_data.py $(BENCH_ARGS)

## bench-web: serve that database with gunicorn and load every page beside a bare route (see --help)
bench-web: translations
	$(BIN)/python scripts/bench_web.py $(BENCH_ARGS)

## bench-matching: time the matching engine beside the matching package, 1,000 to 1,000,000
## participants in two shapes, and print a Markdown table with the targets (a few minutes;
## BENCH_ARGS, e.g. "--sizes 1000,10000" to shorten it; see --help)
bench-matching: $(STAMP)
	$(BIN)/python scripts/bench_matching.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) instance/*.sqlite* .pytest_cache
	find translations -name '*.mo' -delete
