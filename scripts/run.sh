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

# Class-data sharing: after a build, one training start records the classes the server loads; every
# start then maps them and is ready about a second sooner. The training start runs in the mode this
# one will (sandbox, or a real corp), on a free port with a throwaway data directory, and never calls
# WeCom: its API base URL is a closed local port. LIULIANG_CDS=off turns it off.
cds=()
archive=target/liuliang.jsa
if [[ "${LIULIANG_CDS:-on}" != off ]]; then
  if [[ ! -f "$archive" || target/liuliang.jar -nt "$archive" ]]; then
    echo "recording the class-data-sharing archive (one training start) ..."
    rm -f "$archive"
    training_data="$(mktemp -d)"
    # (the archive dump warns about every old-format class it skips: nothing to act on)
    LIULIANG_PORT=0 LIULIANG_DATA_DIR="$training_data" LIULIANG_LOG_DIR= WECOM_API_BASE_URL=http://127.0.0.1:9 \
      java @scripts/server.jvmopts -XX:ArchiveClassesAtExit="$archive" -Xlog:cds=off -Xlog:cds+dynamic=off \
      -jar target/liuliang.jar serve --exit-when-ready >/dev/null 2>&1 \
      || echo "(no archive recorded; starting without it)"
    rm -rf "$training_data"
  fi
  if [[ -f "$archive" ]]; then
    cds=("-XX:SharedArchiveFile=$archive")
  fi
fi
# JVM options: scripts/server.jvmopts, then LIULIANG_JAVA_OPTS (a later option wins).
# shellcheck disable=SC2086
exec java @scripts/server.jvmopts ${LIULIANG_JAVA_OPTS:-} "${cds[@]}" -jar target/liuliang.jar serve "$@"
