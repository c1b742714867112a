PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: setup build test clean

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
	$(PY) -m pytest -q

clean:
	rm -rf output
