# imdi-analysis: `make book` builds the book on the default data; `make test` runs the tests.
# Both create or refresh .venv from requirements.lock; nothing is reinstalled while the lock
# file and pyproject.toml are unchanged.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
YEAR ?= 2022
PERIOD ?= year
JOBS ?= 2

.PHONY: book test lint bench lock clean venv

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

book: $(STAMP)
	$(BIN)/imdi run --year $(YEAR) --period $(PERIOD) --jobs $(JOBS)

test: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/ruff check imdi_analysis tests benchmarks
	$(BIN)/ruff format --check imdi_analysis tests benchmarks

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run_all

lock:
	rm -rf /tmp/imdi-lock-venv && $(PYTHON) -m venv /tmp/imdi-lock-venv
	/tmp/imdi-lock-venv/bin/pip install --quiet --upgrade pip setuptools wheel
	/tmp/imdi-lock-venv/bin/pip install --quiet ".[dev]"
	{ echo "# Exact versions installed by the Makefile (pip install -r requirements.lock)."; \
	  echo "# Regenerate with: make lock"; \
	  /tmp/imdi-lock-venv/bin/pip freeze --all --exclude imdi-analysis | grep -v -e '^pip==' -e '^-e'; } > requirements.lock

clean:
	rm -rf book/_build data/processed/* data/synthetic data/cache .pytest_cache
