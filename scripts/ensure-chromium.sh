#!/usr/bin/env bash
# Installs Debian's chromium, the real browser the web console suite drives headless through
# playwright-core (executablePath /usr/bin/chromium), idempotently: already installed -> nothing.
set -euo pipefail
source "$(dirname "$0")/debian-packages.sh"

ensure_debian_packages "chromium" chromium
version="$(/usr/bin/chromium --version 2>/dev/null)"
echo "${version%%$'\n'*}"
