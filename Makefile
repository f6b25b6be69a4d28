# newsdigest: two commands for a newcomer.
#   make site   create .venv, install, import samples/ and fetch their feeds into content/, build output/
#   make test   the whole suite (lint + pytest)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Test tools from npm (axe-core, the Nu HTML checker): package.json.
NODE_STAMP := node_modules/.installed

.PHONY: site test serve lint clean readme bench eval publish fetch commit-fetched lock ci

# Python packages at the versions of the lock file (requirements/test.lock,
# hashed; `make lock` makes it again from pyproject.toml). UNLOCKED=1 installs
# the newest versions pyproject.toml allows instead (the weekly "Newest
# versions" workflow).
LOCK := requirements/test.lock
$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
ifdef UNLOCKED
	$(BIN)/python -m pip install --quiet --upgrade --upgrade-strategy eager -e '.[test]'
else
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
endif
	touch $(STAMP)

# Wheels of every locked package (and setuptools, to build ours), so that the test installing
# newsdigest's wheel alone in a new virtual environment (tests/e2e/test_wheel.py) needs no network.
WHEELHOUSE := $(VENV)/wheelhouse
WHEELHOUSE_STAMP := $(WHEELHOUSE)/.made
$(WHEELHOUSE_STAMP): $(STAMP)
	$(BIN)/python -m pip wheel --quiet --require-hashes -r $(LOCK) -w $(WHEELHOUSE)
	$(BIN)/python -m pip wheel --quiet "setuptools>=64" wheel -w $(WHEELHOUSE)
	touch $(WHEELHOUSE_STAMP)

# What CI runs on a fresh machine: system packages, then `make test`.
ci:
	bash .ci/run

lock:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra test --generate-hashes --python-version 3.11 \
		--python-platform x86_64-unknown-linux-gnu --upgrade --quiet -o $(LOCK)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

site: $(STAMP)
	$(BIN)/newsdigest import samples/*.txt
	$(BIN)/newsdigest fetch
	$(BIN)/newsdigest build
	@echo "Site built: open output/index.html, or run '$(BIN)/newsdigest serve' and visit http://127.0.0.1:8000/"

lint: $(STAMP)
	$(BIN)/ruff check generator tests benchmarks pelicanconf.py publishconf.py
	$(BIN)/ruff format --check generator tests benchmarks pelicanconf.py publishconf.py

test: lint $(NODE_STAMP) $(WHEELHOUSE_STAMP)
	$(BIN)/python -m pytest

serve: $(STAMP)
	$(BIN)/newsdigest serve

clean:
	rm -rf output public .pytest_cache test-artefacts .fetch.log

# What the GitHub workflows run (.github/workflows/): the same targets as here.
publish: $(STAMP)
	$(BIN)/newsdigest build --settings publishconf.py --output public

fetch: $(STAMP)
	$(BIN)/newsdigest fetch | tee .fetch.log

# Commit what `make fetch` wrote and push it; the summary line is the message.
PUSH_REMOTE ?= origin
commit-fetched:
	git add content
	git diff --cached --quiet || git -c user.name="$(GIT_NAME)" -c user.email="$(GIT_EMAIL)" \
		commit --quiet -m "Fetch feeds: $$(tail -n 1 .fetch.log)"
	git push --quiet $(PUSH_REMOTE) HEAD:main

GIT_NAME ?= newsdigest fetch
GIT_EMAIL ?= newsdigest-fetch@users.noreply.github.com

# Every benchmark, then one table: each goal, this run's figure, met or not (benchmarks/goals.py).
BENCH_RESULTS := $(VENV)/bench-results.jsonl
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	rm -f $(BENCH_RESULTS)
	NEWSDIGEST_BENCH_RESULTS=$(BENCH_RESULTS) $(BIN)/python benchmarks/build_bench.py --rounds 3
	NEWSDIGEST_BENCH_RESULTS=$(BENCH_RESULTS) $(BIN)/python benchmarks/fetch_bench.py
	NEWSDIGEST_BENCH_RESULTS=$(BENCH_RESULTS) $(BIN)/python benchmarks/related_bench.py
	NEWSDIGEST_BENCH_RESULTS=$(BENCH_RESULTS) $(BIN)/python benchmarks/page_budget.py
	@echo
	$(BIN)/python benchmarks/goals.py $(BENCH_RESULTS)

eval: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/highlights_eval.py
	$(BIN)/python benchmarks/related_eval.py

readme: $(STAMP)
	$(BIN)/python tests/readme_cli.py
