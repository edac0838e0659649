#!/usr/bin/env bash
# Installs the real AWS clients the EC2 compatibility suites drive (Debian 12's awscli and python3-boto3),
# idempotently: already installed -> nothing. Exits non-zero if they cannot be installed or do not run.
set -euo pipefail
source "$(dirname "$0")/debian-packages.sh"

ensure_debian_packages "aws clients" awscli python3-boto3

# Called by absolute path: a pyenv shim earlier on PATH has other versions.
/usr/bin/aws --version >/dev/null
/usr/bin/python3 -c 'import boto3, botocore'
