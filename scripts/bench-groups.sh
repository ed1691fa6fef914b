#!/usr/bin/env bash
# Benchmark: 1,000 group joins in 10 s across 50 groups (BENCH_JOINS, BENCH_GROUPS, BENCH_SECONDS)
# against a real server; prints the groupchat/get calls made and the time until membership is
# consistent (also in target/bench-groups.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
opts="-Dbench.joins=${BENCH_JOINS:-1000} -Dbench.groups=${BENCH_GROUPS:-50} -Dbench.seconds=${BENCH_SECONDS:-10}"
mvn -B -q test -Dtest=GroupBench -Dsurefire.failIfNoSpecifiedTests=false -DargLine="$opts"
cat target/bench-groups.txt
