#!/usr/bin/env bash
# Set everything up (apt + .venv), build the example app and write a full report to out/demo/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python -m examples.build_demo --out "${1:-out/demo}"
