#!/usr/bin/env bash
# Console and /metrics latency on a clinic-sized store (30k contacts, 300k messages, 50k callbacks, 20k outbox rows):
# seeds a temp store, then prints median and p99 per page over real HTTP. Usage: scripts/bench-console.sh [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
exec java -Xmx256m -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  app.liuliang.web.console.ConsoleBenchmark "$@"
