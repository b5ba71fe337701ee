#!/bin/sh
# Brings this checkout to a runnable state on a fresh machine: a pinned Node 24 in .tools/ (from
# the npm registry, no install scripts), then the locked dependencies. Idempotent and quiet when
# nothing changed, so every entry point can call it first. Prints the Node 24 bin folder last.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
want=$(tr -d ' \n' < .node-version)
case "$(uname -m)" in
  x86_64|amd64) arch=x64 ;;
  aarch64|arm64) arch=arm64 ;;
  *) echo "aether setup: unsupported CPU $(uname -m); install Node $want yourself and put it on PATH" >&2; exit 1 ;;
esac
pkg="node-linux-$arch"
bin="$root/.tools/node/node_modules/$pkg/bin"
if [ "$("$bin/node" --version 2>/dev/null || true)" != "v$want" ]; then
  echo "aether setup: installing Node $want ($pkg) into .tools/node" >&2
  mkdir -p .tools/node
  npm install --prefix .tools/node --no-save --no-package-lock --no-audit --no-fund --loglevel=error "$pkg@$want" >&2
fi
PATH="$bin:$PATH"
export PATH
stamp=node_modules/.aether-lock-sha
# coreutils' sha256sum when there is one: starting node only to hash a file would slow every ./aether call.
if command -v sha256sum >/dev/null 2>&1; then
  lock_sha=$(sha256sum package-lock.json | cut -d' ' -f1)
else
  lock_sha=$(node -e "process.stdout.write(require('crypto').createHash('sha256').update(require('fs').readFileSync('package-lock.json')).digest('hex'))")
fi
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_sha" ]; then
  echo "aether setup: installing dependencies (npm ci)" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
  printf '%s' "$lock_sha" > "$stamp"
fi
echo "$bin"
