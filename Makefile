# The front door: every command a reader or CI needs. `make serve` and `make test` set
# everything up on a fresh machine (Python 3.11, npm).
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export PATH := $(abspath $(BIN)):$(PATH)
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help install verify site site-offline serve test lint bench mutants sweep stress clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-13s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found (Python 3.11 is required)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# the in-browser checker's wheels (numpy for Pyodide, sympy, mpmath) and the lab runner's
# (matplotlib and its Pyodide dependencies), hash-checked, and sympy and mpmath byte-compiled by
# that Pyodide in Node: see browser/
.browser-wheels/.installed: browser/wheels.lock browser/fetch_wheels.py browser/precompile.mjs node_modules/.installed $(VENV)/.installed
	$(BIN)/python browser/fetch_wheels.py
	node browser/precompile.mjs
	touch $@

install: $(VENV)/.installed node_modules/.installed .browser-wheels/.installed  ## create .venv from the lock, install npm assets and the browser checker's wheels

verify: install  ## verify every claim (exit 1 if any verdict is not the expected one)
	$(BIN)/python -m derivations verify

site: install  ## build the site into site/ (strict; fails on any unverified claim)
	$(BIN)/mkdocs build --strict --site-dir site

site-offline: install  ## build site-offline/, to open from file:// with no server (search included)
	$(BIN)/mkdocs build --strict -f mkdocs-offline.yml --site-dir site-offline

serve: verify  ## install, verify, build and serve on http://127.0.0.1:8000
	$(BIN)/mkdocs serve --strict --dev-addr 127.0.0.1:8000

test: install  ## run every test (browser tests included when Chromium is present)
	$(BIN)/python -m pytest

lint: install  ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check derivations/engine derivations/cli.py hooks tests

bench: install  ## timings and sizes, printed and written to build/bench.json
	$(BIN)/python bench/run.py
	$(BIN)/python bench/checker_page.py build/bench-site
	$(BIN)/python bench/lab_runner.py build/bench-site

mutants: install  ## mutation-test every verified claim (fails if a mutant survives)
	mkdir -p build
	$(BIN)/python -m derivations mutants --json > build/mutants.json || { $(BIN)/python -c "import json; r = json.load(open('build/mutants.json')); print(r['total']); [print('SURVIVED', s['claim'], s['mutation'], s['reason']) for s in r['survivors']]"; exit 1; }
	$(BIN)/python -c "import json; r = json.load(open('build/mutants.json')); print('mutants:', r['total'], 'in', r['seconds'], 's'); [print(' ', m['status'], m['claim'], m['mutation']) for m in r['mutants'] if m['status'] == 'equivalent']"

sweep: install  ## re-verify every claim with SEEDS fresh seeds (default 200); reports flakes
	$(BIN)/python -m derivations sweep --seeds $${SEEDS:-200}

stress: install  ## re-check claims at condition 1e8, scales 1e-6..1e6, beside kinks (build/stress.json)
	mkdir -p build
	status=0; $(BIN)/python -m derivations stress --json > build/stress.json || status=$$?; \
	$(BIN)/python -c "import json; from derivations.stress import print_report; \
	print_report(json.load(open('build/stress.json')))"; exit $$status

clean:  ## remove everything generated
	rm -rf site site-* build .cache .pytest_cache .ruff_cache .hypothesis test-artifacts
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
