#!/usr/bin/env bash
# Benchmarks. `scripts/bench.sh` (or `callbacks`): the callback server against a local fake WeCom.
# `scripts/bench.sh sop`, `welcome`, `messages`, `console`, `channels`, `referrals`, `outage-logs`, `groups`, `cluster`: the feature benchmarks. Prints numbers; asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-callbacks}"
shift || true
mvn -B -q -DskipTests package test-compile
cp="target/liuliang.jar:target/test-classes"
case "$what" in
  callbacks) exec java -Xmx1g -cp "$cp" app.liuliang.bench.CallbackBench "$@" ;;
  sop) exec bash scripts/bench-sop.sh "$@" ;;
  welcome) exec bash scripts/bench-welcome.sh "$@" ;;
  messages) exec bash scripts/bench-messages.sh "$@" ;;
  console) exec bash scripts/bench-console.sh "$@" ;;
  channels) exec bash scripts/bench-channels.sh "$@" ;;
  referrals) mvn -B -q test -Dtest=ReferralBench -Dsurefire.failIfNoSpecifiedTests=false && cat target/bench-referrals.txt ;;
  outage-logs) exec bash scripts/bench-outage-logs.sh "$@" ;;
  groups) exec bash scripts/bench-groups.sh "$@" ;;
  cluster) exec bash scripts/bench-cluster.sh "$@" ;;
  *) echo "unknown benchmark: $what (callbacks, sop, welcome, messages, console, channels, referrals, outage-logs, groups, cluster)" >&2; exit 2 ;;
esac
