PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: setup build test test-fast clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt scripts/system-deps.sh
	bash scripts/system-deps.sh
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

build: setup
	$(PY) build.py

test: setup
	$(VENV)/bin/ruff check leaflets tests build.py scripts
	$(VENV)/bin/mypy
	$(PY) -m pytest -q

# The edit-test loop: every module's unit tests, without the tests marked slow (under 30 s).
test-fast: setup
	$(PY) -m pytest -q -m "not slow"

clean:
	rm -rf output
