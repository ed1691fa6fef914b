#!/usr/bin/env bash
# Benchmark: log volume through a WeCom outage. New patients add the assistant at BENCH_RATE/s
# (default 20) for BENCH_SECONDS (default 60) while WeCom answers busy, then 30 s more; prints the lines
# and bytes logged by logger and level (also in target/bench-outage-logs.txt). Asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
args="-Dbench.rate=${BENCH_RATE:-20} -Dbench.seconds=${BENCH_SECONDS:-60}"
mvn -B -q test -Dtest=OutageLogBench -Dsurefire.failIfNoSpecifiedTests=false -DargLine="$args" >/dev/null 2>&1 || true
cat target/bench-outage-logs.txt
