#!/usr/bin/env bash
# Ingest speed of this checkout against an earlier version, side by side.
#
#   bash benches/compare.sh REV [DATA]
#
# Builds REV (a commit, tag or branch) in a temporary worktree and this
# checkout, both in release mode. DATA is a folder `make_bench.py` wrote
# (gazetteer.tsv and corpus/); by default `target/bench-data/e100k`, made
# by `cargo bench` (or made here, as `cargo bench` makes it, when the
# generator is beside the crate). Each version reads its own relation
# rules. Per round, each version ingests the whole corpus into a copy of
# a database that already holds the entities (so the entity sync is not
# timed), alternately and in turns (A B, B A, …), so that both see the
# same spells of this shared machine. Prints each version's median and
# best whole-process time and speed, and the relations each stored.
set -euo pipefail
cd "$(dirname "$0")/.."
here=$(pwd)
rev=${1:?usage: bash benches/compare.sh REV [DATA]}
data=${2:-$here/target/bench-data/e100k}
rounds=${ROUNDS:-5}

if [ ! -f "$data/gazetteer.tsv" ]; then
    generator=$here/../shared/bench/make_bench.py
    [ -f "$generator" ] || { echo "no $data/gazetteer.tsv and no $generator" >&2; exit 2; }
    python3 "$generator" --out "$data" --entities 100000 --megabytes 100 --files 10000 --seed 1
fi

work=$(mktemp -d)
trap 'git -C "$here" worktree remove --force "$work/anchor" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

echo "building $rev and this checkout…" >&2
git -C "$here" worktree add --detach -q "$work/anchor" "$rev"
(cd "$work/anchor" && cargo build --release -q)
cargo build --release -q

bins=("$work/anchor/target/release/dossier" "$here/target/release/dossier")
roots=("$work/anchor" "$here")
names=("$rev" "this checkout")

mkdir -p "$work/gazetteer"
"${bins[1]}" -q --no-default-gazetteers --gazetteer "$work/gazetteer" \
    gazetteer import --into "$work/gazetteer" "$data/gazetteer.tsv"
mkdir -p "$work/empty"
for v in 0 1; do
    mkdir -p "$work/rules$v"
    cp -r "${roots[$v]}/gazetteers/relations" "$work/rules$v/"
    "${bins[$v]}" -q --db "$work/base$v.sqlite" --no-default-gazetteers \
        --gazetteer "$work/gazetteer" --gazetteer "$work/rules$v" ingest "$work/empty" || true
done

bytes=$(du -sb "$data/corpus" | cut -f1)
declare -a times0 times1
for round in $(seq "$rounds"); do
    # The order turns each round: the run after another one shares the
    # machine with the write-back of its database, and neither version
    # should always be the one that pays for it.
    order="0 1"
    [ $((round % 2)) = 0 ] && order="1 0"
    for v in $order; do
        cp "$work/base$v.sqlite" "$work/run$v.sqlite"
        start=$(date +%s.%N)
        "${bins[$v]}" -q --db "$work/run$v.sqlite" --no-default-gazetteers \
            --gazetteer "$work/gazetteer" --gazetteer "$work/rules$v" ingest "$data/corpus"
        end=$(date +%s.%N)
        t=$(echo "$end - $start" | bc -l)
        if [ "$v" = 0 ]; then times0+=("$t"); else times1+=("$t"); fi
        echo "round $round, ${names[$v]}: ${t} s" >&2
    done
done

report() {
    local name=$1 db=$2
    shift 2
    local sorted median best relations
    sorted=$(printf '%s\n' "$@" | sort -g)
    median=$(echo "$sorted" | sed -n "$(( ($# + 1) / 2 ))p")
    best=$(echo "$sorted" | head -1)
    relations=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from relations').fetchone()[0])" "$db")
    printf '%-16s median %6.2f s (%5.1f MB/s), best %6.2f s (%5.1f MB/s), %s relations\n' \
        "$name" "$median" "$(echo "$bytes / $median / 1000000" | bc -l)" \
        "$best" "$(echo "$bytes / $best / 1000000" | bc -l)" "$relations"
}
echo "ingest with the relation rules, $(basename "$data"), $((bytes / 1000000)) MB, $rounds rounds, whole process:"
report "${names[0]}" "$work/run0.sqlite" "${times0[@]}"
report "${names[1]}" "$work/run1.sqlite" "${times1[@]}"
