# `make demo`: set up and produce a full report from the bundled example data.
# `make test`: set up, lint and run the whole test suite.
VENV := .venv/bin
OUT ?= out/demo

.PHONY: setup demo test lint bench clean

setup:
	bash scripts/setup.sh

demo: setup
	$(VENV)/python -m examples.build_demo --out $(OUT)

lint: setup
	$(VENV)/ruff check .

test: setup
	$(VENV)/ruff check .
	$(VENV)/python -m pytest -q

bench: setup
	$(VENV)/python -m bench

clean:
	rm -rf out .pytest_cache build *.egg-info
