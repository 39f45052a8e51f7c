# The two Quick start commands (README): `make demo` and `make test`. Each sets up
# .venv first, so a fresh machine with only Python 3.11+ and pip is enough.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_DB ?= demo.sqlite3

.PHONY: demo test bench lint clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

demo: $(VENV)/.installed
	$(BIN)/shiptui --db $(DEMO_DB) demo

test: $(VENV)/.installed
	$(BIN)/python -m pytest

bench: $(VENV)/.installed
	@for bench in tests/perf/bench_*.py; do $(BIN)/python $$bench || exit 1; done

lint: $(VENV)/.installed
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
