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
mkdir -p coverage
status=0
vitest run --coverage --reporter=default --reporter=json --outputFile.json=coverage/vitest-results.json "$@" || status=$?
# One plain closing line that any CI reads the same way: "N passed, N failed, N skipped".
node scripts/test-summary.ts coverage/vitest-results.json || status=1
exit $status
