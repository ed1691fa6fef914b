#!/usr/bin/env bash
# Benchmark of patient messages: a burst of 1,000 kf messages from 200 patients (args: messages patients)
# through signed callbacks, kf/sync_msg and the outbox, WireMock as WeCom. Prints messages/s and the
# p50/p90/p99 time from the callback to the reply or the doctor's card.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
LIULIANG_LOG_LEVEL="${LIULIANG_LOG_LEVEL:-WARN}" exec java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  app.liuliang.message.MessageBench "$@"
