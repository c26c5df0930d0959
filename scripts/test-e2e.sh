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
if code_server=$(bash scripts/install-code-server.sh); then
  export EMBEDDING_DRIFT_CODE_SERVER="$code_server"
else
  echo "test-e2e: installing code-server failed (see above)" >&2
fi
if npm run --silent package >/dev/null; then
  export EMBEDDING_DRIFT_VSIX="$PWD/embedding-drift.vsix"
  echo "test-e2e: packaged $(du -h embedding-drift.vsix | cut -f1) embedding-drift.vsix" >&2
else
  echo "test-e2e: npm run package failed" >&2
fi
exec npx mocha --config test/e2e/.mocharc.json "$@"
