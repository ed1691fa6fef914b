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

# Class-data sharing: the first run records the classes it loads (written when the server stops), and
# later runs map them and start about a second sooner. A rebuilt jar records a new archive.
# LIULIANG_CDS=off turns it off.
cds=()
archive=target/liuliang.jsa
if [[ "${LIULIANG_CDS:-on}" != off ]]; then
  if [[ -f "$archive" && "$archive" -nt target/liuliang.jar ]]; then
    cds=("-XX:SharedArchiveFile=$archive")
  else
    rm -f "$archive"
    # (the archive dump warns about every old-format class it skips: nothing to act on)
    cds=("-XX:ArchiveClassesAtExit=$archive" "-Xlog:cds=off" "-Xlog:cds+dynamic=off")
  fi
fi
# JVM options: scripts/server.jvmopts, then LIULIANG_JAVA_OPTS (a later option wins).
# shellcheck disable=SC2086
exec java @scripts/server.jvmopts ${LIULIANG_JAVA_OPTS:-} "${cds[@]}" -jar target/liuliang.jar serve "$@"
