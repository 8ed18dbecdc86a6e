#!/usr/bin/env bash
# Provisions, from scratch and on loopback only, a throw-away Samba 4 Active Directory domain controller for
# Kerbex's Active Directory tests (SPEC §5a, issue 12).
#
#   scripts/samba-ad.sh install      install the Debian packages if missing (needs root)
#   scripts/samba-ad.sh start DIR    provision a domain under DIR (removed first) and start its DC
#   scripts/samba-ad.sh stop DIR     stop that DC (by its pid file; samba rewrites its command line)
#   scripts/samba-ad.sh status DIR   exit 0 when the DC answers Kerberos on 127.0.0.2:88
#
# The DC listens on 127.0.0.2 only (interfaces 127.0.0.2/8, bind interfaces only): its ports are fixed (53, 88,
# 135, 139, 389, 445, 464, 636, 3268-9) and this keeps them off 127.0.0.1. One DC per machine at a time.
#
# Realm AD.KERBEX.TEST (NetBIOS KERBEXAD), DC dc1.ad.kerbex.test. Users alice (alice-Passw0rd), bob
# (bob-Passw0rd); groups ledger-readers (alice) and ledger-writers (bob). Service accounts, AES only
# (msDS-SupportedEncryptionTypes 24), each with its keytab in DIR: kerbex-svc, SPN HTTP/kerbex.ad.kerbex.test
# (Kerbex: forward-path keytab kerbex.keytab; protocol transition and constrained delegation to
# postgres/db.ad.kerbex.test; its UPN is its SPN so that it can log in by that name), db-svc with SPN
# postgres/db.ad.kerbex.test (postgres.keytab) and web-svc with SPN HTTP/web.ad.kerbex.test (web.keytab, no
# delegation to it). DIR/krb5.conf points at the DC; DIR/sids.env holds the SIDs read back from the directory
# (DOMAIN_SID, ALICE_SID, BOB_SID, LEDGER_READERS_SID, LEDGER_WRITERS_SID).
set -euo pipefail

REALM=AD.KERBEX.TEST
DOMAIN=KERBEXAD
DNS=ad.kerbex.test
IP=127.0.0.2
ADMIN_PW=Admin-Passw0rd-kerbex
PACKAGES=(samba samba-ad-dc samba-ad-provision krb5-user ldb-tools winbind)
# Samba's Python bindings are built for the system interpreter, not for another python3 on PATH.
export PATH=/usr/bin:/usr/sbin:/bin:/sbin:$PATH

install_packages() {
  local missing=()
  for cmd in samba:samba samba-tool:samba-ad-dc ldbmodify:ldb-tools kinit:krb5-user wbinfo:winbind; do
    command -v "${cmd%%:*}" > /dev/null 2>&1 || missing+=("${cmd##*:}")
  done
  # Only recommended by samba-ad-dc, and provisioning needs it.
  [ -d /usr/share/samba/setup ] || missing+=(samba-ad-provision)
  [ ${#missing[@]} -eq 0 ] && return 0
  "$(dirname "$0")/apt-install.sh" "${PACKAGES[@]}"
}

tool() {
  samba-tool "$@" -s "$DIR/etc/smb.conf"
}

# Sets an attribute of the object whose sAMAccountName is $1 (samba-tool 4.17 has no command for it).
set_attribute() {
  local account=$1 attribute=$2 value=$3 dn
  dn=$(ldbsearch -H "$DIR/private/sam.ldb" "(sAMAccountName=$account)" dn | sed -n 's/^dn: //p')
  ldbmodify -H "$DIR/private/sam.ldb" > /dev/null <<LDIF
dn: $dn
changetype: modify
replace: $attribute
$attribute: $value
LDIF
}

sid_of() {
  ldbsearch -H "$DIR/private/sam.ldb" "(sAMAccountName=$1)" objectSid | sed -n 's/^objectSid: //p'
}

service_account() {
  local account=$1 spn=$2 keytab=$3
  tool user create "$account" "$account-Passw0rd-$RANDOM" > /dev/null
  tool spn add "$spn" "$account" > /dev/null
  # Without it the KDC issues rc4 tickets and exports rc4-only keytabs.
  set_attribute "$account" msDS-SupportedEncryptionTypes 24
  tool domain exportkeytab "$DIR/$keytab" --principal="$spn" > /dev/null 2>&1
}

start_dc() {
  DIR=$1
  stop_dc "$DIR" 2> /dev/null || true
  rm -rf "$DIR" && mkdir -p "$DIR"
  DIR=$(cd "$DIR" && pwd)
  mkdir -p "$DIR/run"
  # An empty seed: Debian's /etc/samba/smb.conf would add its shares and a DNS forwarder.
  : > "$DIR/seed.conf"
  samba-tool domain provision -s "$DIR/seed.conf" --targetdir="$DIR" --realm="$REALM" --domain="$DOMAIN" \
    --server-role=dc --dns-backend=SAMBA_INTERNAL --adminpass="$ADMIN_PW" --host-name=dc1 --host-ip="$IP" \
    --option="interfaces = $IP/8" --option="bind interfaces only = yes" --option="pid directory = $DIR/run" \
    --option="dns forwarder = $IP" --option="kdc default domain supported enctypes = 24" \
    > "$DIR/provision.log" 2>&1
  cat > "$DIR/krb5.conf" <<CONF
[libdefaults]
    default_realm = $REALM
    dns_lookup_kdc = false
    dns_lookup_realm = false
    dns_canonicalize_hostname = false
    rdns = false
    forwardable = true
    udp_preference_limit = 1
    default_ccache_name = FILE:$DIR/ccache
[realms]
    $REALM = {
        kdc = $IP
    }
[domain_realm]
    .$DNS = $REALM
    $DNS = $REALM
CONF

  tool domain passwordsettings set --complexity=off --min-pwd-length=8 > /dev/null
  tool user create alice alice-Passw0rd --given-name=Alice --mail-address=alice@$DNS > /dev/null
  tool user create bob bob-Passw0rd > /dev/null
  tool group add ledger-readers > /dev/null
  tool group add ledger-writers > /dev/null
  tool group addmembers ledger-readers alice > /dev/null
  tool group addmembers ledger-writers bob > /dev/null
  service_account kerbex-svc HTTP/kerbex.$DNS kerbex.keytab
  service_account db-svc postgres/db.$DNS postgres.keytab
  service_account web-svc HTTP/web.$DNS web.keytab
  # Protocol transition and constrained delegation (msDS-AllowedToDelegateTo) for Kerbex, to postgres only.
  tool delegation for-any-protocol kerbex-svc on > /dev/null
  tool delegation add-service kerbex-svc postgres/db.$DNS > /dev/null
  # The SPN as UPN (the ktpass convention) lets the account log in by that name; only after the keytab export.
  set_attribute kerbex-svc userPrincipalName "HTTP/kerbex.$DNS@$REALM"

  {
    echo "DOMAIN_SID=$(ldbsearch -H "$DIR/private/sam.ldb" -s base -b "DC=${DNS//./,DC=}" objectSid | sed -n 's/^objectSid: //p')"
    echo "ALICE_SID=$(sid_of alice)"
    echo "BOB_SID=$(sid_of bob)"
    echo "LEDGER_READERS_SID=$(sid_of ledger-readers)"
    echo "LEDGER_WRITERS_SID=$(sid_of ledger-writers)"
  } > "$DIR/sids.env"

  samba -s "$DIR/etc/smb.conf" -D
  for _ in $(seq 1 100); do
    status_dc "$DIR" && break
    sleep 0.2
  done
  status_dc "$DIR" || { echo "Samba AD DC did not answer on $IP:88; see $DIR" >&2; return 1; }
  echo "realm $REALM: Samba AD DC on $IP, krb5.conf $DIR/krb5.conf, SIDs in $DIR/sids.env"
}

# The DC answers an AS-REQ: kinit of alice succeeds.
status_dc() {
  local dir=$1
  echo alice-Passw0rd | KRB5_CONFIG="$dir/krb5.conf" KRB5CCNAME="FILE:$dir/status.ccache" \
    kinit alice@$REALM > /dev/null 2>&1
}

stop_dc() {
  local dir=$1 pid pids=()
  # samba forks its services into its own process group; it starts smbd and winbindd in groups of their own,
  # each with a pid file here.
  for pidfile in "$dir"/run/samba.pid "$dir"/run/smbd.pid "$dir"/run/winbindd.pid; do
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    pids+=("$pid")
    kill -- "-$pid" 2> /dev/null || kill "$pid" 2> /dev/null || true
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2> /dev/null || break
      sleep 0.1
    done
    kill -9 -- "-$pid" 2> /dev/null || true
  done
  rm -f "$dir"/run/*.pid
}

case "${1:-}" in
  install) install_packages ;;
  start) install_packages && start_dc "$2" ;;
  stop) stop_dc "$2" ;;
  status) status_dc "$2" ;;
  *) echo "usage: $0 install | start DIR | stop DIR | status DIR" >&2; exit 2 ;;
esac
