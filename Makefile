# Two commands for a newcomer: `make run` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test fuzz lint install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	$(PY) -m deployer.solver.walk_kernel
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(PY) main.py --demo

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest
	$(VENV)/bin/lint-imports
	$(VENV)/bin/ruff check deployer tests db bench
	$(VENV)/bin/mypy deployer

# The reliability suite at length: thousands of fuzzed files and problems, dozens of kills.
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz DEPLOYER_KILLS=40 QT_QPA_PLATFORM=offscreen \
		$(PY) -m pytest tests/reliability --hypothesis-show-statistics -q -o timeout=3600

lint: $(STAMP)
	$(VENV)/bin/ruff format --check deployer tests db bench
	$(VENV)/bin/ruff check deployer tests db bench
	$(VENV)/bin/mypy deployer

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
