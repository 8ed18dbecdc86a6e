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
  "$(dirname "$0")/apt-install.sh" chromium chromium-driver
}

case "${1:-}" in
  install) install_packages ;;
  check) have && command -v chromium chromedriver ;;
  *) echo "usage: $0 install|check" >&2; exit 2 ;;
esac
