#!/usr/bin/env bash
# The test command (npm test): provisions what the tests need, then runs every check and suite.
# Idempotent; with CI=true nothing may be skipped, so a service that cannot be provisioned fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== installing npm packages"
  npm ci --no-audit --no-fund
fi

echo "== provisioning PostgreSQL"
if ! bash scripts/ensure-postgres.sh; then
  if [ "${CI:-}" = "true" ]; then
    echo "PostgreSQL could not be provisioned and CI=true forbids skipping its suites" >&2
    exit 1
  fi
  echo "!!! PostgreSQL could not be provisioned: its suites will be SKIPPED (see the summary line) !!!"
fi

echo "== provisioning libvirt, Open vSwitch and the test guest image"
if ! { bash scripts/ensure-virt.sh && bash scripts/build-guest-image.sh; }; then
  if [ "${CI:-}" = "true" ]; then
    echo "libvirt/Open vSwitch or the guest image could not be provisioned and CI=true forbids skipping their suites" >&2
    exit 1
  fi
  echo "!!! libvirt/Open vSwitch could not be provisioned: the real-infrastructure suites will be SKIPPED !!!"
fi

echo "== provisioning a Kafka broker"
if ! bash scripts/ensure-kafka.sh; then
  if [ "${CI:-}" = "true" ]; then
    echo "the Kafka broker could not be provisioned and CI=true forbids skipping its suites" >&2
    exit 1
  fi
  echo "!!! the Kafka broker could not be provisioned: its suites will be SKIPPED !!!"
fi

echo "== provisioning the OpenStack clients"
if ! bash scripts/ensure-openstack-clients.sh; then
  if [ "${CI:-}" = "true" ]; then
    echo "the OpenStack clients could not be installed and CI=true forbids skipping their suites" >&2
    exit 1
  fi
  echo "!!! the OpenStack clients could not be installed: their suites will be SKIPPED !!!"
fi

echo "== provisioning the AWS clients"
if ! bash scripts/ensure-aws-clients.sh; then
  if [ "${CI:-}" = "true" ]; then
    echo "the AWS clients could not be installed and CI=true forbids skipping their suites" >&2
    exit 1
  fi
  echo "!!! the AWS clients could not be installed: their suites will be SKIPPED !!!"
fi

echo "== dependency rules";   npx depcruise src --config .dependency-cruiser.js
echo "== type check";         npx tsc --noEmit -p tsconfig.json
echo "== lint";               npx eslint src test
echo "== format";             npx prettier --check "src/**/*.ts" "test/**/*.ts"
echo "== tests"
# --forceExit: a suite that fails while starting the app must not keep the run alive on open handles.
npx jest --ci --forceExit "$@"
