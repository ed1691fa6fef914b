#!/usr/bin/env bash
# What the test suite needs beyond Java and Maven, installed when missing (Debian; as root, or with sudo):
# Chromium and its driver for the console's browser test, a Chinese font for the channel posters.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
fc-list :lang=zh 2>/dev/null | grep -q . || need+=(fontconfig fonts-wqy-microhei)
if (( ${#need[@]} )); then
  sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  echo "installing for the tests: ${need[*]} ..."
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${need[@]}" >/dev/null
fi
