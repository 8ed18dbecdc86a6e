#!/usr/bin/env bash
# Provisions, from scratch and on loopback only, an MIT Kerberos realm with the LDAP (OpenLDAP slapd)
# backend -- the one MIT backend that supports S4U2Proxy -- for Kerbex's inverse-path tests.
#
#   scripts/s4u-realm.sh install          install the Debian packages if missing (needs root)
#   scripts/s4u-realm.sh start DIR PORT   create and start a realm under DIR; slapd on PORT, KDC on PORT+1
#   scripts/s4u-realm.sh start-rfc8009 DIR PORT
#                                         the same, as realm SHA2.TEST (hosts *.sha2.test) whose every key, the
#                                         krbtgt's included, is aes256-cts-hmac-sha384-192 or aes128-cts-hmac-sha256-128
#                                         (RFC 8009), and whose KDC and clients permit only those two enctypes
#   scripts/s4u-realm.sh start-kdc DIR    start the KDC again after a test stopped it
#   scripts/s4u-realm.sh stop DIR         stop what start started
#
# Realm S4U.TEST. Principals: alice (password alice-password), HTTP/kerbex.s4u.test (Kerbex's S4U
# identity: +ok_to_auth_as_delegate, krbAllowedToDelegateTo postgres/db.s4u.test), postgres/db.s4u.test and
# HTTP/web.s4u.test (targets, -requires_preauth), HTTP/noproto.s4u.test (may delegate to postgres, but no
# protocol transition). Keytabs in DIR: kerbex.keytab, postgres.keytab, web.keytab, noproto.keytab.
set -euo pipefail

REALM=S4U.TEST
DOMAIN=s4u.test
ENCTYPES="aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96"
EXTRA_LIBDEFAULTS=
ADMIN_PW=ldap-admin-password
MASTER_PW=kdc-master-password

install_packages() {
  local missing=()
  for cmd in slapd:slapd ldapadd:ldap-utils krb5kdc:krb5-kdc kadmin.local:krb5-admin-server \
             kdb5_ldap_util:krb5-kdc-ldap kinit:krb5-user gss-server:krb5-gss-samples; do
    command -v "${cmd%%:*}" > /dev/null 2>&1 || [ -x "/usr/sbin/${cmd%%:*}" ] || missing+=("${cmd##*:}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  "$(dirname "$0")/apt-install.sh" krb5-kdc krb5-kdc-ldap krb5-admin-server krb5-user slapd ldap-utils \
    krb5-gss-samples
}

start_realm() {
  local dir=$1 port=$2 kdc_port=$(($2 + 1))
  local BASE=dc=${DOMAIN%%.*},dc=${DOMAIN#*.} ADMIN_DN
  ADMIN_DN=cn=admin,$BASE
  rm -rf "$dir" && mkdir -p "$dir/ldap-data"
  dir=$(cd "$dir" && pwd)
  zcat /usr/share/doc/krb5-kdc-ldap/kerberos.schema.gz > "$dir/kerberos.schema"
  cat > "$dir/slapd.conf" <<CONF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/nis.schema
include /etc/ldap/schema/inetorgperson.schema
include $dir/kerberos.schema
pidfile $dir/slapd.pid
modulepath /usr/lib/ldap
moduleload back_mdb
database mdb
maxsize 104857600
suffix "$BASE"
rootdn "$ADMIN_DN"
rootpw $ADMIN_PW
directory $dir/ldap-data
index objectClass eq
index krbPrincipalName eq,pres,sub
CONF
  /usr/sbin/slapd -f "$dir/slapd.conf" -h "ldap://127.0.0.1:$port/"
  for _ in $(seq 1 50); do
    ldapsearch -x -H "ldap://127.0.0.1:$port/" -b "" -s base > /dev/null 2>&1 && break
    sleep 0.1
  done
  ldapadd -x -H "ldap://127.0.0.1:$port/" -D "$ADMIN_DN" -w "$ADMIN_PW" > /dev/null <<LDIF
dn: $BASE
objectClass: dcObject
objectClass: organization
o: Kerbex S4U test
dc: ${DOMAIN%%.*}
LDIF

  cat > "$dir/krb5.conf" <<CONF
[libdefaults]
    default_realm = $REALM
    dns_lookup_kdc = false
    dns_lookup_realm = false
    dns_canonicalize_hostname = false
    rdns = false
    forwardable = true
    udp_preference_limit = 1
    default_ccache_name = FILE:$dir/ccache
$EXTRA_LIBDEFAULTS
[realms]
    $REALM = {
        kdc = 127.0.0.1:$kdc_port
        database_module = ldap
    }
[domain_realm]
    .$DOMAIN = $REALM
    $DOMAIN = $REALM
[dbmodules]
    ldap = {
        db_library = kldap
        ldap_kerberos_container_dn = cn=krbContainer,$BASE
        ldap_kdc_dn = $ADMIN_DN
        ldap_kadmind_dn = $ADMIN_DN
        ldap_service_password_file = $dir/ldap.stash
        ldap_servers = ldap://127.0.0.1:$port/
    }
CONF
  cat > "$dir/kdc.conf" <<CONF
[kdcdefaults]
    kdc_listen = 127.0.0.1:$kdc_port
    kdc_tcp_listen = 127.0.0.1:$kdc_port
[realms]
    $REALM = {
        database_module = ldap
        key_stash_file = $dir/master.stash
        acl_file = $dir/kadm5.acl
        supported_enctypes = $(for e in $ENCTYPES; do printf '%s:normal ' "$e"; done)
        max_life = 10h
        max_renewable_life = 1d
    }
[logging]
    kdc = FILE:$dir/kdc.log
CONF
  touch "$dir/kadm5.acl"
  export KRB5_CONFIG=$dir/krb5.conf KRB5_KDC_PROFILE=$dir/kdc.conf
  kdb5_ldap_util -D "$ADMIN_DN" -w "$ADMIN_PW" -H "ldap://127.0.0.1:$port/" create -subtrees "$BASE" \
    -r "$REALM" -s -P "$MASTER_PW" > /dev/null
  printf '%s\n%s\n' "$ADMIN_PW" "$ADMIN_PW" | kdb5_ldap_util -D "$ADMIN_DN" -w "$ADMIN_PW" \
    -H "ldap://127.0.0.1:$port/" stashsrvpw -f "$dir/ldap.stash" "$ADMIN_DN" > /dev/null

  kadmin.local -q "addprinc -pw alice-password alice" > /dev/null 2>&1
  kadmin.local -q "addprinc -randkey +ok_to_auth_as_delegate HTTP/kerbex.$DOMAIN" > /dev/null 2>&1
  # S4U2Self tickets carry no PRE-AUTHENT flag: targets must not require it.
  kadmin.local -q "addprinc -randkey -requires_preauth postgres/db.$DOMAIN" > /dev/null 2>&1
  kadmin.local -q "addprinc -randkey -requires_preauth HTTP/web.$DOMAIN" > /dev/null 2>&1
  kadmin.local -q "ktadd -k $dir/kerbex.keytab HTTP/kerbex.$DOMAIN" > /dev/null
  kadmin.local -q "ktadd -k $dir/postgres.keytab postgres/db.$DOMAIN" > /dev/null
  kadmin.local -q "ktadd -k $dir/web.keytab HTTP/web.$DOMAIN" > /dev/null
  # A service that may delegate to postgres but was never allowed protocol transition.
  kadmin.local -q "addprinc -randkey HTTP/noproto.$DOMAIN" > /dev/null 2>&1
  kadmin.local -q "ktadd -k $dir/noproto.keytab HTTP/noproto.$DOMAIN" > /dev/null

  # Constrained delegation (MIT: only with the LDAP backend): Kerbex may go on to postgres, not to web.
  allow_delegation "$port" "$BASE" "$ADMIN_DN" HTTP/kerbex.$DOMAIN postgres/db.$DOMAIN
  allow_delegation "$port" "$BASE" "$ADMIN_DN" HTTP/noproto.$DOMAIN postgres/db.$DOMAIN

  /usr/sbin/krb5kdc -P "$dir/krb5kdc.pid"
  echo "realm $REALM: slapd ldap://127.0.0.1:$port/, KDC 127.0.0.1:$kdc_port, krb5.conf $dir/krb5.conf"
}

# Adds krbAllowedToDelegateTo TARGET to the LDAP entry of PRINCIPAL (both without realm).
allow_delegation() {
  local port=$1 BASE=$2 ADMIN_DN=$3 principal=$4 target=$5 dn
  dn=$(ldapsearch -x -LLL -o ldif-wrap=no -H "ldap://127.0.0.1:$port/" -D "$ADMIN_DN" -w "$ADMIN_PW" -b "$BASE" \
    "(krbPrincipalName=$principal@$REALM)" dn | sed -n 's/^dn: //p')
  ldapmodify -x -H "ldap://127.0.0.1:$port/" -D "$ADMIN_DN" -w "$ADMIN_PW" > /dev/null <<LDIF
dn: $dn
changetype: modify
add: krbAllowedToDelegateTo
krbAllowedToDelegateTo: $target@$REALM
LDIF
}

stop_realm() {
  local dir=$1
  for pidfile in "$dir/krb5kdc.pid" "$dir/slapd.pid"; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2> /dev/null || true
  done
}

# Starts the KDC of a realm that start created (after a test stopped it to see an unreachable KDC).
start_kdc() {
  local dir=$1
  if [ -f "$dir/krb5kdc.pid" ] && kill -0 "$(cat "$dir/krb5kdc.pid")" 2> /dev/null; then
    return 0
  fi
  KRB5_CONFIG=$dir/krb5.conf KRB5_KDC_PROFILE=$dir/kdc.conf /usr/sbin/krb5kdc -P "$dir/krb5kdc.pid"
}

case "${1:-}" in
  install) install_packages ;;
  start) install_packages && start_realm "$2" "$3" ;;
  start-rfc8009)
    REALM=SHA2.TEST DOMAIN=sha2.test ENCTYPES="aes256-cts-hmac-sha384-192 aes128-cts-hmac-sha256-128"
    # The KDC reads libdefaults too: without these it would still choose aes256-sha1 session keys, which MIT
    # assumes every server supports.
    EXTRA_LIBDEFAULTS="    permitted_enctypes = $ENCTYPES
    default_tkt_enctypes = $ENCTYPES
    default_tgs_enctypes = $ENCTYPES"
    install_packages && start_realm "$2" "$3" ;;
  start-kdc) start_kdc "$2" ;;
  stop) stop_realm "$2" ;;
  *) echo "usage: $0 install | start DIR PORT | start-rfc8009 DIR PORT | start-kdc DIR | stop DIR" >&2; exit 2 ;;
esac
