#!/usr/bin/env bash
# Installs the real OpenStack clients the compatibility suites drive (Debian 12's python3-openstackclient,
# python3-novaclient, python3-openstacksdk, python3-glanceclient, python3-libcloud), idempotently:
# already installed -> nothing. Exits non-zero if they cannot be installed or do not import.
set -euo pipefail

PACKAGES=(python3-openstackclient python3-novaclient python3-openstacksdk python3-keystoneauth1 python3-glanceclient python3-libcloud)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "openstack clients: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "openstack clients: already installed"
fi

# Called by absolute path: a pyenv shim earlier on PATH has a Python without these libraries.
/usr/bin/openstack --version >/dev/null
/usr/bin/python3 -c 'import keystoneauth1, novaclient, openstack, glanceclient, libcloud'
