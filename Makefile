# The two Quick start commands (README): `make demo` and `make test`. Each sets up
# .venv first, so a fresh machine with only Python 3.11+ and pip is enough.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_DB ?= demo.sqlite3

.PHONY: demo test bench lint messages clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

demo: $(VENV)/.installed
	$(BIN)/shiptui --db $(DEMO_DB) demo

test: $(VENV)/.installed
	$(BIN)/python -m pytest

# Every benchmark at its default size (100,000 orders for the bulk ones), then those that
# take --db again on PostgreSQL when SHIPTUI_TEST_PG_URL names a database (as in .ci/run).
# For people: `make bench ORDERS=1000000` sizes the ones that take --orders.
SIZED_BENCHES := bulk import load export history tui search listings
PG_BENCHES := bulk import load export search mail
SIZE_OF = case " $(SIZED_BENCHES) " in *" $${name\#bench_} "*) echo $(if $(ORDERS),--orders $(ORDERS));; esac
bench: $(VENV)/.installed
	@for bench in tests/perf/bench_*.py; do name=$$(basename $$bench .py); \
		$(BIN)/python $$bench $$($(SIZE_OF)) || exit 1; done
	@if [ -n "$$SHIPTUI_TEST_PG_URL" ]; then for name in $(PG_BENCHES); do name=bench_$$name; \
		$(BIN)/python tests/perf/$$name.py $$($(SIZE_OF)) --db "$$SHIPTUI_TEST_PG_URL" || exit 1; done; fi

lint: $(VENV)/.installed
	$(BIN)/lint-imports

# After adding or changing a _() string: brings the German catalog up to date (then
# translate the new entries in shiptui/locale/de/LC_MESSAGES/shiptui.po). No line
# numbers in the catalog, so an edit elsewhere in a file does not change it.
messages: $(VENV)/.installed
	mkdir -p build
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output --add-comments=Translators: \
		--project=shiptui -o build/shiptui.pot .
	$(BIN)/pybabel update -i build/shiptui.pot -d shiptui/locale -D shiptui \
		--no-fuzzy-matching --ignore-obsolete --no-wrap --ignore-pot-creation-date

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
