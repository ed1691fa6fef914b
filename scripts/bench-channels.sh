#!/usr/bin/env bash
# Benchmark: 500 declared channel codes (BENCH_CHANNELS x BENCH_STORES) reconciled from empty against a
# fake WeCom answering in BENCH_LATENCY_MS (default 40), then again after a restart (expect 0 calls).
set -euo pipefail
cd "$(dirname "$0")/.."
props="-Dbench.channels=${BENCH_CHANNELS:-50} -Dbench.stores=${BENCH_STORES:-10} -Dbench.latency.ms=${BENCH_LATENCY_MS:-40}"
mvn -B -q test -Dtest=ChannelCodesBench -Dsurefire.failIfNoSpecifiedTests=false -DargLine="$props"
cat target/bench-channels.txt
