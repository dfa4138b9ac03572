# signaal — the two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
STAMP = $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
DEMO_DIR ?= var/demo

.PHONY: demo test lint typecheck size unit bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[postgres,web,dev,spark]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

## make demo: set up, load the synthetic demo data into SQLite, run the jobs, then serve the web application
demo: $(STAMP)
	$(BIN)/signaal demo --dir $(DEMO_DIR) --serve

## make test: set up and run every check (lint, types, code size, the whole test suite)
test: lint typecheck size unit

lint: $(STAMP)
	$(BIN)/ruff check signaal tests bench

typecheck: $(STAMP)
	$(BIN)/mypy signaal

# the longest modules and functions and the most complex functions; fails on complexity over 25
size: $(STAMP)
	$(BIN)/python tools/code_size.py

unit: $(STAMP)
	$(BIN)/pytest -q

bench: $(STAMP)
	for script in bench/*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) var test-artifacts .mypy_cache .ruff_cache .pytest_cache
