#!/usr/bin/env bash
# Benchmark: the server jar as separate processes on SQLite, on PostgreSQL with 1 node and with 2 nodes, and a
# kill -9 failover; prints ingress acks/s and ack p99, callback -> send_welcome_msg p50/p99 at 200 new patients/s,
# and the failover time (also in target/bench-cluster.txt). Starts PostgreSQL as the tests do. Options:
# BENCH_SECONDS (welcome load per setup, default 15), BENCH_RATE (default 200), BENCH_INGRESS_RATE (default 1000).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/test-deps.sh
port=$(cat "${TMPDIR:-/tmp}/liuliang-test-pg-port")
export LIULIANG_TEST_PG_URL="jdbc:postgresql://127.0.0.1:${port}/liuliang_test" LIULIANG_TEST_PG_USER=liuliang_test \
  LIULIANG_TEST_PG_PASSWORD=liuliang_test LIULIANG_TEST_PG_REQUIRED=1
props="-Dbench.seconds=${BENCH_SECONDS:-15} -Dbench.rate=${BENCH_RATE:-200} -Dbench.ingress.rate=${BENCH_INGRESS_RATE:-1000}"
mvn -B -q -DskipTests package
mvn -B -q test -Dtest=ClusterBench -Dsurefire.failIfNoSpecifiedTests=false -Djacoco.skip=true -DargLine="$props"
cat target/bench-cluster.txt
