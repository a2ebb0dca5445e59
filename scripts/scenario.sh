#!/usr/bin/env bash
# scenario.sh BIN FOLDER: deploys examples/common and FOLDER's programs to a fresh ledger
# in a temp dir and runs FOLDER's transactions in order, on both engines (check mode).
# A transaction listed in FOLDER/EXPECT_FAIL must fail and leave the ledger as it was;
# every other one must commit.
set -euo pipefail
bin=$1 folder=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$bin" ledger init "$dir/ledger" >/dev/null
"$bin" deploy --ledger "$dir/ledger" examples/common/*.wasm "$folder"/*.wasm
expect_fail=$(cat "$folder/EXPECT_FAIL" 2>/dev/null || true)
for t in "$folder"/tx*.json; do
  name=$(basename "$t")
  echo
  echo "== $name: $(tr -d '\n' <"$t" | tr -s ' ')"
  if grep -qx "$name" <<<"$expect_fail"; then
    before=$("$bin" ledger show "$dir/ledger")
    if "$bin" tx --ledger "$dir/ledger" --engine check "$t"; then
      echo "scenario: $name should have failed" >&2; exit 1
    fi
    [ "$before" = "$("$bin" ledger show "$dir/ledger")" ] || { echo "scenario: the failed $name changed the ledger" >&2; exit 1; }
    echo "   (refused as the scenario expects; ledger unchanged)"
  else
    "$bin" tx --ledger "$dir/ledger" --engine check "$t"
  fi
done
echo
"$bin" ledger show "$dir/ledger"
