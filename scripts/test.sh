#!/usr/bin/env bash
# Runs the whole test suite: unit tests, then integration tests (real HTTP, SQLite, WireMock as WeCom).
set -euo pipefail
cd "$(dirname "$0")/.."
exec mvn -B verify "$@"
