#!/usr/bin/env bash
# Runs every check and test suite (type check, lint, unit, webview in Chromium, fault injection, end
# to end in code-server) and ends with one line "N passed, N failed, N skipped" totalled over all of
# them. A suite that dies before it reports counts as one failure, so an empty or crashed run can
# never look green; the type check and the lint count as one test each. A suite that could not set
# itself up (code-server did not install, say) leaves its reason in DRIFT_TEST_NOTES, printed just
# above the totals.
# Usage: scripts/test-all.sh [--no-e2e]
set -uo pipefail
cd "$(dirname "$0")/.."
run_e2e=1
for arg in "$@"; do [ "$arg" = --no-e2e ] && run_e2e=0; done

bash scripts/ensure-system-deps.sh || { echo "0 passed, 1 failed, 0 skipped"; exit 1; }
npm run --silent build || { echo "0 passed, 1 failed, 0 skipped"; exit 1; }

totals=$(mktemp)
notes=$(mktemp)
export DRIFT_TEST_TOTALS="$totals" DRIFT_TEST_NOTES="$notes"
status=0
run_suite() {
  local name=$1; shift
  local before; before=$(wc -l < "$totals")
  echo "=== suite: $name"
  DRIFT_TEST_SUITE=$name "$@" || status=1
  if [ "$(wc -l < "$totals")" = "$before" ]; then
    echo "suite $name ended without reporting results" >&2
    echo "$name 0 1 0" >> "$totals"; status=1
    echo "$name: ended without reporting results" >> "$notes"
  fi
}
# A check that is not a mocha suite: one test that passes or fails with the command.
run_check() {
  local name=$1; shift
  echo "=== check: $name"
  if "$@"; then echo "$name 1 0 0" >> "$totals"
  else echo "$name 0 1 0" >> "$totals"; echo "$name: failed (see its output above)" >> "$notes"; status=1; fi
}

run_check check-types npm run --silent check-types
run_check lint npm run --silent lint
run_suite unit npx mocha
run_suite webview npx mocha --config test/webview/.mocharc.json
run_suite faults npx mocha --config test/faults/.mocharc.json
[ $run_e2e = 1 ] && run_suite e2e bash scripts/test-e2e.sh

passed=$(awk '{p+=$2} END {print p+0}' "$totals")
failed=$(awk '{f+=$3} END {print f+0}' "$totals")
skipped=$(awk '{s+=$4} END {print s+0}' "$totals")
echo "=== per suite (passed failed skipped)"
cat "$totals"
if [ -s "$notes" ]; then echo "=== why"; cat "$notes"; fi
rm -f "$totals" "$notes"
[ "$failed" -gt 0 ] && status=1
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
