# Thin wrappers; the README's commands are `bash scripts/demo.sh` and `bash scripts/test.sh`.
.PHONY: setup demo test lint bench schemas

setup:
	bash scripts/setup.sh

demo:
	bash scripts/demo.sh

test:
	bash scripts/test.sh

lint: setup
	.venv/bin/ruff check .

bench: setup
	.venv/bin/python -m bench

schemas: setup
	.venv/bin/python scripts/gen_schemas.py
