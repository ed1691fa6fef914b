#!/usr/bin/env bash
# Runs the whole test suite: unit tests, then integration tests (real HTTP, SQLite, WireMock as WeCom,
# the server as its own process, Chromium for the console). Installs what the tests need when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/test-deps.sh
exec mvn -B verify "$@"
