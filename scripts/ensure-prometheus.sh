#!/usr/bin/env bash
# Installs Debian's prometheus (the server and promtool), idempotently: already installed -> nothing.
# The suites check the shipped rules with promtool and start their own server on a port of their
# own; the packaged service (port 9090, which the orchestrator's gRPC uses by default) is stopped
# and disabled if the package started it.
set -euo pipefail
source "$(dirname "$0")/debian-packages.sh"

ensure_debian_packages "prometheus" prometheus
for unit in prometheus prometheus-node-exporter; do
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$unit" 2>/dev/null; then systemctl disable --now "$unit" || true; fi
done
version="$(promtool --version 2>&1)"
echo "${version%%$'\n'*}"
