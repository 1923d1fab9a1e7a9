# SOP Hub developer commands. Each target creates .venv itself on first use.
#   make serve   preview the demo hub at http://127.0.0.1:8000 (reloads on edits)
#   make demo-history   copy the demo into .demo/ with a scripted git history (scripts/demo_history.py)
#   make serve-demo     serve that copy: revision histories, approvals and the changes page
#   make test    the whole suite, browser tests in headless Chromium included
#   make test HOST=properdocs   the same suite building with ProperDocs (or: make test-properdocs)
#   make test-zensical   build the demo (and a payload hub) under Zensical, the browser tests that apply
#   make lint    ruff (lint + format check) and mypy
#   make assets  minify the browser assets into plugins/sop_hub/render/assets/dist/ (committed)
#   make bench   build benchmark against plain Material, quiz and check benchmarks
# HOST=properdocs builds, serves, tests and benchmarks with ProperDocs, the maintained MkDocs 1.x
# fork; it installs beside MkDocs in the same .venv (package `properdocs`, part of the test extra).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
# The host: `make test HOST=properdocs`, or $SOP_HUB_BUILDER (not $HOST, which some shells set).
HOST   := $(or $(SOP_HUB_BUILDER),mkdocs)
export NO_MKDOCS_2_WARNING := 1
export SOP_HUB_BUILDER := $(HOST)
# The Zensical preview's own venv (see test-zensical below).
ZVENV := .venv-zensical
# ProperDocs comes with the test extra; MkDocs with the plugin itself.
HOST_DEPS := $(if $(filter mkdocs,$(HOST)),$(VENV)/.run-deps,$(VENV)/.dev-deps)

.PHONY: serve serve-lrs serve-demo demo-history build test test-properdocs test-zensical lint format assets bench clean

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
serve: $(HOST_DEPS)
	$(BIN)/python -m $(HOST) serve --dirty -a 127.0.0.1:8000 -f mkdocs.yml

# A real LRS (Ralph) next to `make serve`, to watch learning records arrive: prints the endpoint
# and the credentials to put under `learning_records:` in mkdocs.yml (README "Learning records").
serve-lrs: $(VENV)/.dev-deps
	$(BIN)/python tests/lrs/serve.py --port 8100 --site http://127.0.0.1:8000

# The demo in docs/ has this repository's (the code's) history; .demo/ gets a believable one of its
# own: an initial issue, a rename, real changes, an editorial fix and an approval.
demo-history: $(HOST_DEPS)
	$(BIN)/python scripts/demo_history.py --out .demo

serve-demo: demo-history
	$(BIN)/python -m $(HOST) serve --dirty -a 127.0.0.1:8000 -f .demo/mkdocs.yml

build: $(HOST_DEPS)
	$(BIN)/python -m $(HOST) build --strict -f mkdocs.yml

# The whole suite. tests/zensical builds with the Zensical venv below (`make test-zensical` runs
# it alone); it does not depend on the host, so `make test HOST=properdocs` leaves it out.
test: $(VENV)/.dev-deps $(if $(filter properdocs,$(HOST)),,$(ZVENV)/.deps)
	$(BIN)/python -m pytest $(if $(filter properdocs,$(HOST)),--ignore=tests/zensical,)

# The Zensical preview (README "Zensical preview"): its own venv, without MkDocs. The package is
# installed with --no-deps because its dependencies name MkDocs and Material (the MkDocs host);
# the preview path needs only Zensical (which brings Markdown, Jinja, PyYAML) and these three.
ZENSICAL_DEPS := "zensical==0.0.73" "nh3>=0.2.17" "pyyaml-env-tag>=0.1" "pathspec>=0.11"
$(ZVENV)/.deps: pyproject.toml
	$(PYTHON) -m venv $(ZVENV)
	$(ZVENV)/bin/python -m pip install --quiet --upgrade pip
	$(ZVENV)/bin/python -m pip install --quiet $(ZENSICAL_DEPS)
	$(ZVENV)/bin/python -m pip install --quiet --no-deps -e .
	@touch $@

# The tests run in .venv (pytest, Playwright); the builds they make run in $(ZVENV).
test-zensical: $(VENV)/.dev-deps $(ZVENV)/.deps
	$(BIN)/python -m pytest tests/zensical

test-properdocs:
	$(MAKE) test HOST=properdocs

lint: $(VENV)/.dev-deps
	$(BIN)/ruff check plugins tests
	$(BIN)/ruff format --check plugins tests
	$(BIN)/mypy

format: $(VENV)/.dev-deps
	$(BIN)/ruff format plugins tests
	$(BIN)/ruff check --fix plugins tests

# After editing plugins/sop_hub/render/assets/*.js or *.css: the minified copies sites get
# (render/assets/dist/, committed). tests/unit/test_static.py fails until this has run.
assets: $(VENV)/.dev-deps
	$(BIN)/python -m sop_hub.render.static

# About 8 minutes on 2 cores; `bench_build.py --full` measures 1000 and 3000 SOPs (the targets).
bench: $(VENV)/.dev-deps
	$(BIN)/python tests/bench/bench_build.py
	$(BIN)/python tests/bench/bench_reload.py
	$(BIN)/python tests/bench/bench_quiz.py
	$(BIN)/python tests/bench/bench_check.py
	$(BIN)/python tests/bench/bench_history.py
	$(BIN)/python tests/bench/bench_search.py

clean:
	rm -rf site build *.egg-info plugins/*.egg-info .pytest_cache .mypy_cache .ruff_cache
