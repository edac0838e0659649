#!/usr/bin/env bash
# npm run chaos: runs the fault scenarios (each a test that fails if anything acknowledged is lost,
# orphaned or answered with a bad 5xx) and prints one table of their figures. Provisions what they
# need as the test command does; nothing may be skipped (CI=true).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
bash scripts/ensure-postgres.sh
bash scripts/ensure-kafka.sh
bash scripts/ensure-virt.sh
bash scripts/build-guest-image.sh

report="$(mktemp /tmp/orch-chaos-XXXXXX.jsonl)"
status=0
CI=true ORCH_CHAOS_REPORT="$report" npx jest --ci --forceExit --runInBand \
  test/e2e/crash-recovery test/e2e/database-outage test/e2e/disk-full test/e2e/kafka test/e2e/libvirtd-restart || status=$?
node scripts/chaos-table.js "$report"
rm -f "$report"
exit "$status"
