# madoguchi: `make run` starts the demo site, `make test` runs the whole suite headless.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DEMO   ?= .demo

.PHONY: run test lint bench clean demo-reset

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/madoguchi demo --data-dir $(DEMO) --keep --windows

demo-reset:
	rm -rf $(DEMO)

lint: $(STAMP)
	$(BIN)/ruff check app db ui tests
	$(BIN)/ruff format --check app db ui tests
	$(BIN)/lint-imports
	$(BIN)/mypy

test: $(STAMP) lint
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python -m tests.bench

clean:
	rm -rf $(VENV) .pyinstaller dist .mypy_cache .ruff_cache
