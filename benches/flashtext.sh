#!/usr/bin/env bash
# Ingest speed side by side with FlashText, in one run.
#
#   bash benches/flashtext.sh [real [MEGABYTES] | synthetic]   (ROUNDS=3)
#
# `real` (the default, 100 MB): real letters and news items, short and
# dense in relations, the figure an investigator with real documents
# should expect. Once per size it builds, under target/bench-data/real-MB/,
# a corpus of copies of the project's sample corpus and development set
# (../shared/corpus, ../shared/dev/docs, not shipped with the clone) under
# new names, and a gazetteer folder holding the development set's name
# lines; dossier reads the shipped lists on top of it.
# `synthetic`: the 100 MB corpus and 100k-entity gazetteer of `cargo bench`
# (`$DOSSIER_BENCH_DATA/e100k` or target/bench-data/e100k, made by
# ../shared/bench/make_bench.py when missing), the shipped lists left out.
# Each round, alternately: dossier's whole first ingest into a new
# database (relation rules on), and FlashText (from PyPI, in
# target/bench-venv) finding the same names in the same files, each timed
# as a whole process. Prints each one's speed, their ratio, the writer's
# busy share of the ingest, dossier's peak memory and the database's size
# per MB of text.
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-real}
megabytes=${2:-100}
rounds=${ROUNDS:-3}
shared=../shared
cargo build --release -q
dossier=$(pwd)/target/release/dossier

case $kind in
real)
for dir in "$shared/corpus" "$shared/dev/docs"; do
    [ -d "$dir" ] || { echo "no $dir: this benchmark reads the project's real documents" >&2; exit 2; }
done
data=target/bench-data/real-$megabytes
# dossier's gazetteer options, and the folders FlashText reads.
lists=(--gazetteer "$data/gazetteer")
flash_lists=(gazetteers "$data/gazetteer")
if [ ! -f "$data/ready" ]; then
    echo "building $data (once)…" >&2
    rm -rf "$data"
    mkdir -p "$data/corpus" "$data/gazetteer"
    python3 - "$shared" "$data/corpus" "$megabytes" <<'PY'
import os, sys
shared, out, megabytes = sys.argv[1], sys.argv[2], int(sys.argv[3])
texts = []
for folder in (os.path.join(shared, "corpus"), os.path.join(shared, "dev", "docs")):
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if os.path.isfile(path):
            with open(path, "rb") as f:
                texts.append(f.read())
written, i = 0, 0
while written < megabytes * 1_000_000:
    text = texts[i % len(texts)]
    with open(os.path.join(out, f"{i:06d}.txt"), "wb") as f:
        f.write(text)
    written += len(text)
    i += 1
PY
    "$dossier" -q --gazetteer "$data/gazetteer" \
        gazetteer import --into "$data/gazetteer" "$shared/dev/gazetteer.tsv" >/dev/null || true
    touch "$data/ready"
fi
;;
synthetic)
data=${DOSSIER_BENCH_DATA:-target/bench-data}/e100k
if [ ! -f "$data/gazetteer.tsv" ]; then
    generator=$shared/bench/make_bench.py
    [ -f "$generator" ] || { echo "no $data/gazetteer.tsv and no $generator" >&2; exit 2; }
    python3 "$generator" --out "$data" --entities 100000 --megabytes 100 --files 10000 --seed 1
fi
names=target/bench-data/synthetic-gazetteer
if [ ! -f "$names/ready" ]; then
    rm -rf "$names"
    mkdir -p "$names"
    "$dossier" -q --no-default-gazetteers --gazetteer "$names" \
        gazetteer import --into "$names" "$data/gazetteer.tsv" >/dev/null
    touch "$names/ready"
fi
# This checkout's relation rules, fresh each run.
rules=target/bench-data/synthetic-rules
rm -rf "$rules"
mkdir -p "$rules"
cp -r gazetteers/relations "$rules/"
lists=(--no-default-gazetteers --gazetteer "$names" --gazetteer "$rules")
flash_lists=("$names")
;;
*)
    echo "usage: bash benches/flashtext.sh [real [MEGABYTES] | synthetic]" >&2
    exit 2
    ;;
esac

venv=target/bench-venv
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check flashtext
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/flashtext_scan.py" <<'PY'
import os, sys
from flashtext import KeywordProcessor
corpus, folders = sys.argv[1], sys.argv[2:]
keywords = KeywordProcessor(case_sensitive=False)
for folder in folders:
    for name in os.listdir(folder):
        if not name.endswith(".tsv"):
            continue
        with open(os.path.join(folder, name), encoding="utf-8-sig") as f:
            for line in f:
                if not line.strip() or line.startswith("#"):
                    continue
                columns = line.rstrip("\n").split("\t")
                names = [columns[0]] + (columns[1].split("|") if len(columns) > 1 else [])
                for n in names:
                    if n.strip():
                        keywords.add_keyword(n.strip())
found = 0
for name in sorted(os.listdir(corpus)):
    with open(os.path.join(corpus, name), encoding="utf-8", errors="replace") as f:
        found += len(keywords.extract_keywords(f.read()))
print(found)
PY

bytes=$(du -sb "$data/corpus" | cut -f1)
files=$(ls "$data/corpus" | wc -l)
echo "$kind documents: $files files, $((bytes / 1000000)) MB; $rounds rounds" >&2
rows=()
for round in $(seq "$rounds"); do
    rm -f "$work"/db.sqlite*
    start=$(date +%s.%N)
    /usr/bin/time -f "%M" -o "$work/peak" "$dossier" --db "$work/db.sqlite" \
        "${lists[@]}" ingest --timings "$data/corpus" 2> "$work/stderr"
    end=$(date +%s.%N)
    dossier_s=$(echo "$end - $start" | bc -l)
    timings=$(grep '^timings:' "$work/stderr" || true)
    ingest_s=$(echo "$timings" | sed -n 's/.*, ingest \([0-9.]*\) s.*/\1/p')
    busy_s=$(echo "$timings" | sed -n 's/.*writer busy \([0-9.]*\) s.*/\1/p')
    peak_mb=$(( $(cat "$work/peak") / 1000 ))
    db_bytes=$(du -cb "$work"/db.sqlite* | tail -1 | cut -f1)
    start=$(date +%s.%N)
    "$venv/bin/python" "$work/flashtext_scan.py" "$data/corpus" "${flash_lists[@]}" > "$work/found"
    end=$(date +%s.%N)
    flash_s=$(echo "$end - $start" | bc -l)
    row=$(printf 'round %d: dossier %.2f s (%.1f MB/s), FlashText %.2f s (%.1f MB/s): %.1fx; writer busy %.0f%% of the ingest; peak %d MB; database %.2f MB per MB of text' \
        "$round" "$dossier_s" "$(echo "$bytes / $dossier_s / 1000000" | bc -l)" \
        "$flash_s" "$(echo "$bytes / $flash_s / 1000000" | bc -l)" \
        "$(echo "$flash_s / $dossier_s" | bc -l)" \
        "$(echo "100 * ${busy_s:-0} / ${ingest_s:-1}" | bc -l)" "$peak_mb" \
        "$(echo "$db_bytes / $bytes" | bc -l)")
    echo "$row"
    rows+=("$row")
done
