#!/usr/bin/env bash
# Installs the real AWS clients the EC2 compatibility suites drive (Debian 12's awscli and python3-boto3),
# idempotently: already installed -> nothing. Exits non-zero if they cannot be installed or do not run.
set -euo pipefail

PACKAGES=(awscli python3-boto3)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "aws clients: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "aws clients: already installed"
fi

# Called by absolute path: a pyenv shim earlier on PATH has other versions.
/usr/bin/aws --version >/dev/null
/usr/bin/python3 -c 'import boto3, botocore'
