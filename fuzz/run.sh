#!/usr/bin/env bash
# Runs one fuzz target, or all four, on the stable toolchain (libFuzzer
# through cargo-fuzz, without a sanitizer: the code has no `unsafe` of its
# own to check, and sanitizers need a nightly compiler).
#
#   fuzz/run.sh TARGET|all [-max_total_time=SECONDS | -runs=N] [libFuzzer options...]
#
# New inputs go into fuzz/work/TARGET (not kept); the kept cases of
# fuzz/corpus/TARGET are read too, and `cargo test` runs them as tests. A
# panic, or an input taking more than 5 s, fails the run and leaves the
# input in fuzz/artifacts/TARGET: add it to fuzz/corpus/TARGET with the fix.
set -euo pipefail
cd "$(dirname "$0")"
target=${1:?usage: fuzz/run.sh TARGET|all [libFuzzer options]}
shift
if [ "$target" = all ]; then
    for t in query gazetteer rules document; do
        "./$(basename "$0")" "$t" "$@"
    done
    exit 0
fi
# The longest input each target is given: queries are short (an unknown
# name's suggestions cost its length), name lists and rule files longer,
# documents longest.
case "$target" in
    query) max_len=256 ;;
    gazetteer | rules) max_len=8192 ;;
    document) max_len=16384 ;;
    *) echo "unknown fuzz target $target (query, gazetteer, rules, document)" >&2; exit 2 ;;
esac
mkdir -p "work/$target"
exec cargo fuzz run --sanitizer none "$target" "work/$target" "corpus/$target" -- \
    -timeout=5 -max_len="$max_len" -print_final_stats=1 "$@"
