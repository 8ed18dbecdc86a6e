#!/usr/bin/env bash
# The browser of the web console's integration test (ConsoleIT): Debian's Chromium and its WebDriver.
#
#   scripts/browser.sh install    install the Debian packages chromium and chromium-driver if missing (needs root)
#   scripts/browser.sh check      exit 0 when both are there (prints their paths)
set -euo pipefail

have() {
  command -v chromium > /dev/null 2>&1 && command -v chromedriver > /dev/null 2>&1
}

install_packages() {
  have && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "missing packages chromium chromium-driver: run as root or install them" >&2
    return 1
  fi
  # No system daemon may start during the install: a policy-rc.d that refuses every start, for its duration only.
  local guard=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    guard=/usr/sbin/policy-rc.d
  fi
  export DEBIAN_FRONTEND=noninteractive
  local rc=0
  # Another install (scripts/s4u-realm.sh) may hold dpkg's lock: wait for it rather than fail.
  { apt-get -o DPkg::Lock::Timeout=600 update -qq \
      && apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends chromium chromium-driver \
      > /dev/null; } || rc=$?
  [ -n "$guard" ] && rm -f "$guard"
  return $rc
}

case "${1:-}" in
  install) install_packages ;;
  check) have && command -v chromium chromedriver ;;
  *) echo "usage: $0 install|check" >&2; exit 2 ;;
esac
