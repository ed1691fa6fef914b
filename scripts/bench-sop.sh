#!/usr/bin/env bash
# The SOP benchmark (scripts/bench.sh sop calls this): validate+schedule a week plan, and fan one
# personal item out over 30,000 contacts. Args: [reloads=50] [fan-outs=5] [contacts=30000].
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test-compile
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/bench-sop-cp.txt >/dev/null
exec java -Dlogback.configurationFile=src/test/resources/logback-bench-sop.xml \
  -cp "target/classes:target/test-classes:$(cat target/bench-sop-cp.txt)" app.liuliang.sop.SopBench "$@"
