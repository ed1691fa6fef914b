#!/usr/bin/env bash
# Benchmark: a burst of new patients (default 500 in 10 s) against a real Liuliang server with
# WireMock as WeCom; prints p50/p99/max callback -> send_welcome_msg latency (also in
# target/bench-welcome.txt). Options: BENCH_PATIENTS, BENCH_SECONDS.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test -Dtest=WelcomeBench -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.patients="${BENCH_PATIENTS:-500}" -Dbench.seconds="${BENCH_SECONDS:-10}" -DargLine="-Dbench.patients=${BENCH_PATIENTS:-500} -Dbench.seconds=${BENCH_SECONDS:-10}"
cat target/bench-welcome.txt
