# SOP Hub developer commands. Each target creates .venv itself on first use.
#   make serve   preview the demo hub at http://127.0.0.1:8000 (reloads on edits)
#   make test    the whole suite, browser tests in headless Chromium included
#   make lint    ruff (lint + format check) and mypy
#   make bench   build benchmark against plain Material, quiz and check benchmarks

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test lint format bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps: reinstall when pyproject.toml changes.
$(VENV)/.run-deps: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.dev-deps: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $@ $(VENV)/.run-deps

# --dirty: an edit rebuilds only the pages it affects (the plugin adds process and generated
# pages); a change to anything the navigation shows still rebuilds every page.
serve: $(VENV)/.run-deps
	$(BIN)/mkdocs serve --dirty -a 127.0.0.1:8000

build: $(VENV)/.run-deps
	$(BIN)/mkdocs build --strict

test: $(VENV)/.dev-deps
	$(BIN)/python -m pytest

lint: $(VENV)/.dev-deps
	$(BIN)/ruff check plugins tests
	$(BIN)/ruff format --check plugins tests
	$(BIN)/mypy

format: $(VENV)/.dev-deps
	$(BIN)/ruff format plugins tests
	$(BIN)/ruff check --fix plugins tests

# About 8 minutes on 2 cores; `bench_build.py --full` measures 1000 and 3000 SOPs (the targets).
bench: $(VENV)/.dev-deps
	$(BIN)/python tests/bench/bench_build.py
	$(BIN)/python tests/bench/bench_reload.py
	$(BIN)/python tests/bench/bench_quiz.py
	$(BIN)/python tests/bench/bench_check.py

clean:
	rm -rf site build *.egg-info plugins/*.egg-info .pytest_cache .mypy_cache .ruff_cache
