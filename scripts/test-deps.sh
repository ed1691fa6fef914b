#!/usr/bin/env bash
# What the test suite needs beyond Java and Maven, installed when missing (Debian; as root, or with sudo):
# Chromium and its driver for the console's browser test, a Chinese font for the channel posters, and a
# running PostgreSQL with a test role and database for the tests that also run on it (scripts/test.sh
# passes them the LIULIANG_TEST_PG_* variables).
set -euo pipefail
sudo=()
[[ $(id -u) -eq 0 ]] || sudo=(sudo)
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
fc-list :lang=zh 2>/dev/null | grep -q . || need+=(fontconfig fonts-wqy-microhei)
command -v pg_ctlcluster >/dev/null 2>&1 || need+=(postgresql)
if (( ${#need[@]} )); then
  echo "installing for the tests: ${need[*]} ..."
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${need[@]}" >/dev/null
fi

# PostgreSQL: start the first cluster (create one when the package made none), as the postgres user.
cluster=$(pg_lsclusters -h 2>/dev/null | awk 'NR==1 {print $1, $2}')
if [[ -z $cluster ]]; then
  version=$(ls /usr/lib/postgresql | sort -V | tail -1)
  "${sudo[@]}" pg_createcluster "$version" main >/dev/null
  cluster="$version main"
fi
if ! pg_lsclusters -h | awk -v c="$cluster" '($1" "$2)==c && $4=="online" {found=1} END {exit !found}'; then
  # shellcheck disable=SC2086
  "${sudo[@]}" pg_ctlcluster $cluster start
fi
as_postgres() { (cd / && "${sudo[@]}" su postgres -c "$1"); }
port=$(pg_lsclusters -h | awk -v c="$cluster" '($1" "$2)==c {print $3}')
psql_admin="psql -p $port -v ON_ERROR_STOP=1 -qtA"
if [[ -z $(as_postgres "$psql_admin -c \"SELECT 1 FROM pg_roles WHERE rolname = 'liuliang_test'\"") ]]; then
  as_postgres "$psql_admin -c \"CREATE ROLE liuliang_test LOGIN PASSWORD 'liuliang_test'\""
fi
if [[ -z $(as_postgres "$psql_admin -c \"SELECT 1 FROM pg_database WHERE datname = 'liuliang_test'\"") ]]; then
  as_postgres "$psql_admin -c \"CREATE DATABASE liuliang_test OWNER liuliang_test\""
fi
echo "$port" > "${TMPDIR:-/tmp}/liuliang-test-pg-port"
