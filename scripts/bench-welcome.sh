#!/usr/bin/env bash
# Benchmark: new patients at several rates against a real Liuliang server and a fake WeCom that
# answers like WeCom (latency included, welcome codes alive 20 s); prints, per rate, the share
# welcomed inside the window and p50/p99/max callback -> send_welcome_msg (also in
# target/bench-welcome.txt). Options: BENCH_RATES (default 50,100,150 patients/s), BENCH_SECONDS
# (per rate, default 20), BENCH_LATENCY_MS (WeCom's answer time, default 40).
set -euo pipefail
cd "$(dirname "$0")/.."
props="-Dbench.rates=${BENCH_RATES:-50,100,150} -Dbench.seconds=${BENCH_SECONDS:-20} -Dbench.latency.ms=${BENCH_LATENCY_MS:-40}"
mvn -B -q test -Dtest=WelcomeBench -Dsurefire.failIfNoSpecifiedTests=false -DargLine="$props"
cat target/bench-welcome.txt
