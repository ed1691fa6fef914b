#!/usr/bin/env bash
# Sends a correctly signed, encrypted callback to a running server and shows what the bot sent.
# e.g. scripts/simulate.sh add-contact --state meituan --name 张三
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -f target/liuliang.jar ]]; then
  mvn -B -q -DskipTests package
fi
exec java -XX:TieredStopAtLevel=1 -jar target/liuliang.jar simulate "$@"
