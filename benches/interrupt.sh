#!/usr/bin/env bash
# Ctrl-C during exports, counted: what the issue's "20 Ctrl-C during export
# leave no partial file" asks.
#
#   bash benches/interrupt.sh [BINARY] [RUNS]
#
# Makes a graph of its own (400 people, 20 organisations, 8,000 relations
# in 400 documents, a gazetteer written here), then runs RUNS exports (20
# by default), each format in turn (json, json with a filter, graphml,
# gexf, ftm, dot, csv, svg), each over an old file it must leave intact,
# and sends SIGINT at a random moment while it runs (once, or on every
# fourth run twice back to back). Counts the exit codes, the `.partial`
# files left beside the targets, the old files changed, and Graphviz
# processes left running. Exits 1 when any run left something behind.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/dossier}
runs=${2:-20}
bin=$(realpath "$bin")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
mkdir -p mine docs
python3 - <<'EOF'
first = "Anna Boris Clara Dmytro Elena Fedir Galina Hanna Ivan Kira Lev Maria Nadia Oleh Petro Rita Sasha Taras Uliana Vera".split()
last = "Abramenko Bondarenko Chernenko Danylenko Fedorenko Gavrylenko Hrytsenko Ivanenko Kovalenko Lysenko Marchenko Nazarenko Onyshchenko Pavlenko Romanenko Savchenko Tkachenko Ustymenko Vasylenko Yakovenko".split()
trades = "Mill Dock Rail Mine Farm Forge Glass Paper Salt Steel Wool Brick Tram Port Bread Print Radio Timber Clay Oil".split()
people = [f"{f} {l}" for f in first for l in last]
unions = [f"Union of {t} Workers" for t in trades]
open("mine/people.tsv", "w").write("\n".join(people) + "\n")
open("mine/organisations.tsv", "w").write("\n".join(unions) + "\n")
for d in range(400):
    text = f"Report number {d}\n"
    for j in range(20):
        text += f"\n{people[(d * 20 + j) % 400]}, head of {unions[(d // 20 + j) % 20]}, spoke in Kyiv on {j % 27 + 1} June 2031.\n"
    open(f"docs/d{d:03}.txt", "w").write(text)
EOF
"$bin" --db g.db --gazetteer mine ingest docs 2>&1 | tail -1

# Job control, so that the exports run in the background do not ignore
# SIGINT, as a non-interactive shell has them do.
set -m
formats=("json" "json --types person,organisation" "graphml" "gexf" "ftm" "dot" "csv" "svg")
declare -A codes=()
partials=0 changed=0 orphans=0 slowest=0
for ((i = 0; i < runs; i++)); do
    format=${formats[i % ${#formats[@]}]}
    name=${format%% *}
    if [ "$name" = csv ]; then
        mkdir -p out; target=out/nodes.csv; output=out
    else
        target=export.$name; output=$target
    fi
    echo "old $i" >"$target"
    # A random moment within the first 0.4 s (an export of this graph
    # takes about that long), for svg between 1 and 3 s (Graphviz draws it
    # for several seconds).
    range="0.02, 0.4"; [ "$name" = svg ] && range="1, 3"
    delay=$(python3 -c "import random; print(round(random.uniform($range), 3))")
    signals=$(( i % 4 == 3 ? 2 : 1 ))
    before=$(pgrep -c -x sfdp || true)
    # shellcheck disable=SC2086
    "$bin" --db g.db -q export $format -o "$output" 2>/dev/null &
    pid=$!
    sleep "$delay"
    for ((k = 0; k < signals; k++)); do kill -INT "$pid" 2>/dev/null || true; done
    code=0; wait "$pid" || code=$?
    codes[$code]=$(( ${codes[$code]:-0} + 1 ))
    left=$(find . -name '*.partial' | wc -l)
    partials=$((partials + left))
    if [ "$code" = 130 ] && [ "$(cat "$target")" != "old $i" ]; then changed=$((changed + 1)); fi
    sleep 0.1
    after=$(pgrep -c -x sfdp || true)
    if [ "$after" -gt "$before" ]; then orphans=$((orphans + after - before)); fi
    printf '%2d %-34s SIGINT x%d after %5.3f s: exit %3d, %d partial file(s)\n' \
        "$i" "$format" "$signals" "$delay" "$code" "$left"
    find . -name '*.partial' -delete
done
echo "runs: $runs; exit codes:$(for c in "${!codes[@]}"; do printf ' %s×%d' "$c" "${codes[$c]}"; done)"
echo "partial files left: $partials; old files changed by an interrupted run: $changed; Graphviz left running: $orphans"
[ "$partials" -eq 0 ] && [ "$changed" -eq 0 ] && [ "$orphans" -eq 0 ]
