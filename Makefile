# Quick start: `make demo` (the main job on embedded defaults) and `make test` (the whole suite).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test lint typecheck imports unit bench messages clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/roasloop demo

test: lint typecheck imports unit

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

# The layer contracts in pyproject.toml ([tool.importlinter]).
imports: $(STAMP)
	$(BIN)/lint-imports

unit: $(STAMP)
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python -m benchmarks

# Re-extract the msgids marked with N_() into the template and merge it into every language's
# catalog; new or changed messages then need their translation (tests/unit/test_catalogs.py).
LOCALE_DIR := src/roasloop/locale
messages: $(STAMP)
	$(BIN)/pybabel extract -F pyproject.toml --no-default-keywords -k N_ --no-location \
	  --sort-output --project roasloop --copyright-holder "the roasloop authors" \
	  --header-comment "# The English messages of roasloop, extracted by make messages." \
	  -o $(LOCALE_DIR)/roasloop.pot src/roasloop
	$(BIN)/pybabel update -i $(LOCALE_DIR)/roasloop.pot -d $(LOCALE_DIR) -D roasloop \
	  --ignore-obsolete

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .import_linter_cache .hypothesis roasloop-report roasloop-demo
