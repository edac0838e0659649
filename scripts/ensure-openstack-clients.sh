#!/usr/bin/env bash
# Installs the real OpenStack clients the compatibility suites drive (Debian 12's python3-openstackclient,
# python3-novaclient, python3-openstacksdk, python3-glanceclient, python3-libcloud), idempotently:
# already installed -> nothing. Exits non-zero if they cannot be installed or do not import.
set -euo pipefail
source "$(dirname "$0")/debian-packages.sh"

ensure_debian_packages "openstack clients" python3-openstackclient python3-novaclient python3-openstacksdk python3-keystoneauth1 python3-glanceclient python3-libcloud

# Called by absolute path: a pyenv shim earlier on PATH has a Python without these libraries.
/usr/bin/openstack --version >/dev/null
/usr/bin/python3 -c 'import keystoneauth1, novaclient, openstack, glanceclient, libcloud'
