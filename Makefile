# newsdigest: two commands for a newcomer.
#   make site   create .venv, install, import samples/ and fetch their feeds into content/, build output/
#   make test   the whole suite (lint + pytest)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site test serve lint clean readme bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

site: $(STAMP)
	$(BIN)/newsdigest import samples/*.txt
	$(BIN)/newsdigest fetch
	$(BIN)/newsdigest build
	@echo "Site built: open output/index.html, or run '$(BIN)/newsdigest serve' and visit http://127.0.0.1:8000/"

lint: $(STAMP)
	$(BIN)/ruff check generator tests benchmarks pelicanconf.py publishconf.py
	$(BIN)/ruff format --check generator tests benchmarks pelicanconf.py publishconf.py

test: lint
	$(BIN)/python -m pytest

serve: $(STAMP)
	$(BIN)/newsdigest serve

clean:
	rm -rf output .pytest_cache test-artefacts

bench: $(STAMP)
	$(BIN)/python benchmarks/fetch_bench.py

readme: $(STAMP)
	$(BIN)/python tests/readme_cli.py
