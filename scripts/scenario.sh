#!/usr/bin/env bash
# scenario.sh BIN FOLDER [prove]: deploys examples/common and FOLDER's programs to a fresh
# ledger in a temp dir and runs FOLDER's transactions in order: by default with tx on both
# engines (check mode); with prove, each through ssprove prove (interpreter, proof written,
# then committed) and ssprove verify, printing what happened and the prove and verify times.
# A transaction listed in FOLDER/EXPECT_FAIL must fail, leave the ledger as it was and, in
# prove mode, write no proof; every other one must commit (and its proof verify).
set -euo pipefail
bin=$1 folder=$2 mode=${3:-tx}
case $mode in
  tx | prove) ;;
  *) echo "scenario: unknown mode $mode (want tx or prove)" >&2; exit 2 ;;
esac
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$bin" ledger init "$dir/ledger" >/dev/null
"$bin" deploy --ledger "$dir/ledger" examples/common/*.wasm "$folder"/*.wasm
expect_fail=$(cat "$folder/EXPECT_FAIL" 2>/dev/null || true)

# step runs transaction file $1 in the chosen mode.
step() {
  local t=$1 proof
  proof=$dir/$(basename "$1" .json).proof
  if [ "$mode" = tx ]; then
    "$bin" tx --ledger "$dir/ledger" --engine check "$t"
    return
  fi
  "$bin" prove --ledger "$dir/ledger" "$t" -o "$proof" || { [ ! -e "$proof" ] || { echo "scenario: a failed prove of $t left $proof" >&2; exit 1; }; return 1; }
  "$bin" verify --ledger "$dir/ledger" "$proof"
}

for t in "$folder"/tx*.json; do
  name=$(basename "$t")
  echo
  echo "== $name: $(tr -d '\n' <"$t" | tr -s ' ')"
  if grep -qx "$name" <<<"$expect_fail"; then
    before=$("$bin" ledger show "$dir/ledger")
    if step "$t"; then
      echo "scenario: $name should have failed" >&2; exit 1
    fi
    [ "$before" = "$("$bin" ledger show "$dir/ledger")" ] || { echo "scenario: the failed $name changed the ledger" >&2; exit 1; }
    echo "   (refused as the scenario expects; ledger unchanged)"
  else
    step "$t"
  fi
done
echo
"$bin" ledger show "$dir/ledger"
