# Two commands do all the set-up on a fresh machine:
#   make demo   -- build .venv, install textreuse, run it on the bundled demo corpus
#   make test   -- build .venv, install textreuse with test extras, check the code's shape, run the whole suite
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=

.PHONY: demo test lint venv clean browser

# The browser tests drive Debian's chromium through its chromium-driver: installed here when either is missing.
CHROMIUM := /usr/bin/chromium
CHROMEDRIVER := /usr/bin/chromedriver

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	$(PY) -m pip install --quiet -e '.[spark]' || echo "pyspark could not be installed: the Spark tests will be skipped"
	touch $@

venv: $(VENV)/.installed

# The demo corpus indexed (out/demo.db), its reuse found and kept in the index (and written to out/demo),
# then the command that opens it in the web app.
demo: $(VENV)/.installed
	rm -f out/demo.db out/demo.db-wal out/demo.db-shm
	$(VENV)/bin/textreuse index add demo/corpus.jsonl --db out/demo.db
	$(VENV)/bin/textreuse find --db out/demo.db --out out/demo
	@echo
	@echo "See it in the web app: $(VENV)/bin/textreuse serve --db out/demo.db"
	@echo "then open http://127.0.0.1:8000/"

# Style (ruff), types (mypy) and the import layers of the pipeline (import-linter; pyproject.toml).
lint: $(VENV)/.installed
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

browser:
	@if [ ! -x $(CHROMIUM) ] || [ ! -x $(CHROMEDRIVER) ]; then \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver; \
	fi

test: lint browser
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) out .pytest_cache .hypothesis .mypy_cache .ruff_cache .import_linter_cache
