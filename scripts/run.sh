#!/usr/bin/env bash
# Builds target/liuliang.jar when it is missing or older than the sources, then starts the server.
# With no WECOM_CORP_ID set it runs in sandbox mode (an embedded fake WeCom).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -f target/liuliang.jar ]] || [[ -n "$(find src pom.xml -newer target/liuliang.jar -print -quit)" ]]; then
  echo "building target/liuliang.jar ..."
  mvn -B -q -DskipTests package
fi
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"  # glibc arenas per thread would add ~100 MB of RSS
exec java ${LIULIANG_JAVA_OPTS:--Xmx192m -XX:+UseSerialGC -Xss512k -XX:ReservedCodeCacheSize=48m -XX:MaxMetaspaceSize=128m -Xshare:auto} -jar target/liuliang.jar serve "$@"
