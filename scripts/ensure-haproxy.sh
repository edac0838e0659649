#!/usr/bin/env bash
# Installs Debian's haproxy, the load balancer the multi-process suites put in front of several
# orchestrators, idempotently: already installed -> nothing. The suites start their own haproxy with
# their own configuration; the packaged service is not needed and is stopped if the package started it.
set -euo pipefail
source "$(dirname "$0")/debian-packages.sh"

ensure_debian_packages "haproxy" haproxy
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet haproxy 2>/dev/null; then
  systemctl stop haproxy || true
fi
version="$(/usr/sbin/haproxy -v)"
# Not piped into head: under pipefail, head closing the pipe early makes haproxy die of SIGPIPE.
echo "${version%%$'\n'*}"
