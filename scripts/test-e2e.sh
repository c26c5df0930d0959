#!/usr/bin/env bash
# End-to-end suite: the packaged extension inside real VS Code. Installs code-server into the cache
# folder outside the repository when missing (scripts/install-code-server.sh, reused afterwards),
# packages the .vsix (npm run package, offline), then runs test/e2e with mocha and the counting
# reporter, which records the totals scripts/test-all.sh adds up.
# Usage: scripts/test-e2e.sh [mocha args...]
set -uo pipefail
cd "$(dirname "$0")/.."

# A failed install or package still runs mocha: its first hook then fails with the reason, so the
# totals show a failure instead of a suite that silently did not run.
# The reason a setup step failed reaches the tests (EMBEDDING_DRIFT_E2E_SETUP_ERROR), so the
# suite's failure, and the summary scripts/test-all.sh prints, name it.
install_err=$(mktemp)
if code_server=$(bash scripts/install-code-server.sh 2> >(tee "$install_err" >&2)); then
  export EMBEDDING_DRIFT_CODE_SERVER="$code_server"
else
  sleep 0.2  # let tee finish writing
  reason=$(grep -E '^(code-server .* did not install|cause:|full log:)' "$install_err" | tr '\n' ' ')
  export EMBEDDING_DRIFT_E2E_SETUP_ERROR="installing code-server failed: ${reason:-see the output above}"
  echo "test-e2e: $EMBEDDING_DRIFT_E2E_SETUP_ERROR" >&2
fi
rm -f "$install_err"
if package_out=$(npm run --silent package 2>&1); then
  export EMBEDDING_DRIFT_VSIX="$PWD/embedding-drift.vsix"
  echo "test-e2e: packaged $(du -h embedding-drift.vsix | cut -f1) embedding-drift.vsix" >&2
else
  echo "$package_out" | tail -n 30 >&2
  export EMBEDDING_DRIFT_E2E_SETUP_ERROR="${EMBEDDING_DRIFT_E2E_SETUP_ERROR:+$EMBEDDING_DRIFT_E2E_SETUP_ERROR; }npm run package failed: $(echo "$package_out" | grep -m1 -iE 'error' || echo 'see the output above')"
  echo "test-e2e: npm run package failed" >&2
fi
if [ -n "${EMBEDDING_DRIFT_E2E_SETUP_ERROR:-}" ] && [ -n "${DRIFT_TEST_NOTES:-}" ]; then
  echo "e2e: $EMBEDDING_DRIFT_E2E_SETUP_ERROR" >> "$DRIFT_TEST_NOTES"
fi
exec npx mocha --config test/e2e/.mocharc.json "$@"
