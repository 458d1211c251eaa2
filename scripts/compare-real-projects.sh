#!/bin/bash
# Whether two builds of the CLI give the same output on every real project:
# `check --format json` and `fix --dry-run --unsafe` (on a copy), byte for byte.
# Uses the trees the real-projects suite materialises (run it once first:
# node --import tsx --test test/realprojects/realprojects.test.ts).
#   bash scripts/compare-real-projects.sh BEFORE/dist/cli.js AFTER/dist/cli.js
# Prints one DIFF line per differing output, then how many projects it compared.
set -u
before=$1 after=$2
trees=${CACHELENS_REAL_TREES:-${TMPDIR:-/tmp}/cachelens-real-projects}
out=$(mktemp -d) copy=$(mktemp -d)
n=0
for t in "$trees"/*/; do
  [ -f "${t%/}.done" ] || continue
  name=$(basename "$t")
  for side in before after; do
    cli=$before; [ $side = after ] && cli=$after
    (cd "$t" && node "$cli" check --format json --fail-on never . >"$out/$name.$side.check" 2>&1)
    rm -rf "$copy/tree" && cp -a "$t" "$copy/tree"
    (cd "$copy/tree" && node "$cli" fix --dry-run --unsafe . >"$out/$name.$side.fix" 2>&1)
  done
  for k in check fix; do cmp -s "$out/$name.before.$k" "$out/$name.after.$k" || echo "DIFF $name $k"; done
  n=$((n + 1))
done
echo "compared $n projects ($out)"
rm -rf "$copy"
