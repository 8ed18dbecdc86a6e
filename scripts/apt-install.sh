#!/usr/bin/env bash
# Installs Debian packages for the tests (scripts/s4u-realm.sh, scripts/browser.sh, scripts/samba-ad.sh), as root,
# with a policy-rc.d that refuses every daemon start for the duration of the install only: the tests start their own
# daemons on their own addresses, and a system daemon would hold their ports. Waits for dpkg's lock when another
# install holds it.
#
#   scripts/apt-install.sh PACKAGE...
set -euo pipefail
if [ "$(id -u)" != 0 ]; then
  echo "missing packages $*: run as root or install them" >&2
  exit 1
fi
guard=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  guard=/usr/sbin/policy-rc.d
fi
export DEBIAN_FRONTEND=noninteractive
rc=0
{ apt-get -o DPkg::Lock::Timeout=600 update -qq \
    && apt-get -o DPkg::Lock::Timeout=600 install -y -qq "$@" > /dev/null; } || rc=$?
[ -n "$guard" ] && rm -f "$guard"
exit $rc
