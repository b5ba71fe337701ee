#!/bin/sh
# The one test command (README, .ci/run, CI): lint, type-check, then every test with coverage.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(sh "$root/scripts/setup.sh")
PATH="$bin:$root/node_modules/.bin:$PATH"
export PATH
cd "$root"
echo "== lint"
eslint . --max-warnings 0
prettier --check . --log-level warn
echo "== type-check"
tsc -p tsconfig.json
echo "== tests"
vitest run --coverage "$@"
