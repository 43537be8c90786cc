#!/usr/bin/env bash
# Renders deploy/gateway/nginx.conf.template into a runnable nginx config.
#
#   deploy/gateway/render.sh OUT_FILE
#
# Used by the launcher (deploy/local/lib/gateway.sh) and by e2e's GatewayUnderTest, so both run
# the same config. Ports have one source, the launcher's files, each overridable by the environment:
#   ATELIER_GATEWAY_PORT             the gateway's port (deploy/local/defaults.env)
#   ATELIER_PORT_<SERVICE>           a service's port (deploy/local/services), e.g. ATELIER_PORT_AUTH_SERVICE
# Settings with a default here, for deployments and tests:
#   ATELIER_GATEWAY_LISTEN_ADDRESS   the address to listen on (default: every interface)
#   ATELIER_GATEWAY_READ_TIMEOUT     how long a service may take to answer (default 30s; nginx time units)
#   ATELIER_GATEWAY_TRUSTED_PROXIES  addresses or CIDRs of the load balancers in front of the gateway,
#                                    separated by spaces or commas (default none: real-ip stays off and
#                                    the client is whoever connects). Only list proxies that overwrite
#                                    or append to X-Forwarded-For themselves.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../local/lib/common.sh
. "$here/../local/lib/common.sh"   # ROOT, die, load_defaults, services_table: the launcher's own reading
load_defaults

out=${1:-}
[ -n "$out" ] || die "usage: deploy/gateway/render.sh OUT_FILE"

valid_port() { [[ $1 =~ ^[0-9]{1,5}$ ]] && [ "$1" -ge 1 ] && [ "$1" -le 65535 ]; }
# sed replacement text: escape what sed would read as special (all values are validated anyway).
sed_escape() { printf '%s' "$1" | sed -e 's/[\\|&]/\\&/g'; }

valid_port "$ATELIER_GATEWAY_PORT" || die "ATELIER_GATEWAY_PORT is not a port: '$ATELIER_GATEWAY_PORT'"
listen=$ATELIER_GATEWAY_PORT
address=${ATELIER_GATEWAY_LISTEN_ADDRESS:-}
if [ -n "$address" ]; then
  if [[ $address =~ ^[0-9.]+$ ]]; then listen="$address:$listen"
  elif [[ $address =~ ^\[?[0-9A-Fa-f:]+\]?$ ]]; then listen="[${address//[\[\]]/}]:$listen"
  else die "ATELIER_GATEWAY_LISTEN_ADDRESS must be an IPv4 or IPv6 address: '$address'"; fi
fi

read_timeout=${ATELIER_GATEWAY_READ_TIMEOUT:-30s}
[[ $read_timeout =~ ^[0-9]+(ms|s|m|h)?$ ]] || die "ATELIER_GATEWAY_READ_TIMEOUT is not an nginx time: '$read_timeout'"

# nginx does not mind a block on one line, so each placeholder becomes one line.
real_ip="# real-ip off: no trusted proxies (ATELIER_GATEWAY_TRUSTED_PROXIES is empty)"
geo=
proxies=${ATELIER_GATEWAY_TRUSTED_PROXIES:-}
if [ -n "${proxies//[ ,]/}" ]; then
  real_ip="real_ip_header X-Forwarded-For; real_ip_recursive on;"
  for proxy in ${proxies//,/ }; do
    [[ $proxy =~ ^([0-9.]+|[0-9A-Fa-f:]+)(/[0-9]{1,3})?$ ]] \
      || die "ATELIER_GATEWAY_TRUSTED_PROXIES: '$proxy' is not an address or CIDR"
    real_ip+=" set_real_ip_from $proxy;"
    geo+="$proxy 1; "
  done
fi

args=(-e "s|@GATEWAY_LISTEN@|$(sed_escape "$listen")|g"
      -e "s|@READ_TIMEOUT@|$(sed_escape "$read_timeout")|g"
      -e "s|@REAL_IP@|$(sed_escape "$real_ip")|g"
      -e "s|@TRUSTED_PROXIES_GEO@|$(sed_escape "$geo")|g")
while read -r name port _; do
  [ "$port" != - ] || continue
  valid_port "$port" || die "the port of $name is not a port: '$port'"
  key=PORT_$(printf %s "$name" | tr 'a-z-' 'A-Z_')
  args+=(-e "s|@$key@|$port|g")
done < <(services_table)

mkdir -p "$(dirname "$out")"
tmp=$(mktemp "$out.XXXXXX")
trap 'rm -f "$tmp"' EXIT
sed "${args[@]}" "$here/nginx.conf.template" > "$tmp"
if left=$(grep -on '@[A-Z][A-Z_]*@' "$tmp"); then
  die "deploy/gateway/nginx.conf.template has placeholders nothing fills (a service missing from deploy/local/services?): $left"
fi
chmod 644 "$tmp"
mv "$tmp" "$out"
trap - EXIT
