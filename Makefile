# braingain: `make demo` runs the group on the sample workbook; `make test` proves it.
# Every target creates and uses its own virtual environment in .venv.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.deps-installed

.DEFAULT_GOAL := help
RACES  ?= 1000

.PHONY: help install demo test lint format typecheck contracts pytest races bench clean

help: ## List the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip "setuptools>=77"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]' \
		--config-settings editable_mode=strict > $(VENV)/install.log 2>&1 || { cat $(VENV)/install.log; exit 1; }
	touch $@

# The strict editable install links each module; re-link so that new modules are seen.
install: $(STAMP) ## Create .venv and install braingain with its dev tools
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation \
		-e . --config-settings editable_mode=strict > $(VENV)/relink.log 2>&1 || { cat $(VENV)/relink.log; exit 1; }

demo: install ## Run braingain on the embedded sample group
	$(BIN)/braingain demo

lint: install ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: install ## mypy --strict
	$(BIN)/mypy

contracts: install ## import-linter: the core stays free of integrations and SDKs
	$(BIN)/lint-imports --no-cache

JOBS   ?= auto

pytest: install ## The test suite, on every core (JOBS=1 for one process)
	$(BIN)/python -m pytest -q -n $(JOBS) $(PYTEST_ARGS)

test: lint typecheck contracts pytest ## Everything CI runs

races: install ## Seeded races on Google: a person edits between a sync's read and its write (RACES=1000 seeds)
	$(BIN)/python -m tests.integrations.races $(RACES)

bench: install ## Benchmarks: compute time, and requests per sync on Google
	$(BIN)/python -m bench

clean: ## Remove the virtual environment and caches
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache .hypothesis
