#!/usr/bin/env bash
# Runs the whole test suite: unit tests, then integration tests (real HTTP, SQLite and PostgreSQL, WireMock
# as WeCom, the server as its own process, Chromium for the console). Installs and starts what the tests
# need when missing (scripts/test-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/test-deps.sh
port=$(cat "${TMPDIR:-/tmp}/liuliang-test-pg-port")
# The store, inbox, outbox, Quartz and two-node tests run on this PostgreSQL too; REQUIRED makes a missing
# one a failure, never a skip.
export LIULIANG_TEST_PG_URL="jdbc:postgresql://127.0.0.1:${port}/liuliang_test"
export LIULIANG_TEST_PG_USER=liuliang_test
export LIULIANG_TEST_PG_PASSWORD=liuliang_test
export LIULIANG_TEST_PG_REQUIRED=1
exec mvn -B verify "$@"
