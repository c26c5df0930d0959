#!/usr/bin/env bash
# Runs every test suite (unit, webview in Chromium, fault injection, end to end in code-server) and
# ends with one line "N passed, N failed" totalled over all of them. A suite that dies before it
# reports counts as one failure, so an empty or crashed run can never look green.
# Usage: scripts/test-all.sh [--no-e2e]
set -uo pipefail
cd "$(dirname "$0")/.."
run_e2e=1
for arg in "$@"; do [ "$arg" = --no-e2e ] && run_e2e=0; done

bash scripts/ensure-system-deps.sh || exit 1
npm run --silent build || { echo "0 passed, 1 failed"; exit 1; }

totals=$(mktemp)
export DRIFT_TEST_TOTALS="$totals"
status=0
run_suite() {
  local name=$1; shift
  local before; before=$(wc -l < "$totals")
  echo "=== suite: $name"
  DRIFT_TEST_SUITE=$name "$@" || status=1
  if [ "$(wc -l < "$totals")" = "$before" ]; then
    echo "suite $name ended without reporting results" >&2
    echo "$name 0 1 0" >> "$totals"; status=1
  fi
}

run_suite unit npx mocha
run_suite webview npx mocha --config test/webview/.mocharc.json
run_suite faults npx mocha --config test/faults/.mocharc.json
[ $run_e2e = 1 ] && run_suite e2e bash scripts/test-e2e.sh

passed=$(awk '{p+=$2} END {print p+0}' "$totals")
failed=$(awk '{f+=$3} END {print f+0}' "$totals")
rm -f "$totals"
[ "$failed" -gt 0 ] && status=1
echo "$passed passed, $failed failed"
exit $status
