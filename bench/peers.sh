#!/usr/bin/env bash
# track2 beside the plain-text accounting tools its users know (issue 6).
#
#   bench/peers.sh [N]        N engagements, and N transactions (default 100000)
#
# Generates a synthetic track2 ledger of N engagements (examples/synthetic.rs)
# and, from it, equivalent journals for ledger, hledger and beancount: one
# transaction per engagement, with its first day, its title and two postings
# (the visiting side and the host). Then times each tool on its own file,
# RUNS times (median wall time, largest peak RSS, files in the page cache),
# beside `wc -l` as a floor, and prints one Markdown table. Entries/s is the
# comparable figure; MB/s is over each tool's own file, and the journals are
# smaller than the ledger.
#
# What runs: `track2 check`, `ledger stats`, `hledger check`, `bean-check`.
# Peers that are not installed are skipped, and the script says so. Install
# them with:  apt-get install -y ledger hledger time;  pip install beancount
#
# Environment: RUNS (3), BENCH_DIR (/tmp/track2-bench), SEED (1), and
# PEERS, the tools to try (default "ledger hledger beancount").
# BENCHMARKS.md records a run of this script.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

ENTRIES=${1:-100000}
PEERS=${PEERS:-ledger hledger beancount}

# Writes the journal equivalent to a canonical track2 ledger, in FORMAT
# (`ledger`, which hledger reads too, or `beancount`). Each engagement header
# `DATE FROM [+ FROM…] -> TO TITLE` becomes one transaction dated its first
# day, moving one ENG from the host to the visiting side.
journal() {
    local format=$1 ledger=$2
    awk -v format="$format" '
    /^[0-9]/ {
        date = $1
        sub(/\.\..*/, "", date)                      # a range: its first day
        if (length(date) == 7) date = date "-01"      # a month: its first day
        if (length(date) == 4) date = date "-01-01"   # a year: 1 January
        from = $2; i = 3
        while ($i == "+") { from = from "-" $(i + 1); i += 2 }
        to = $(i + 1); if (to == "online") to = "Online"
        title = $0
        for (k = 1; k <= i + 1; k++) sub(/^[^ ]+ /, "", title)
        gsub(/"/, "'\''", title)
        visitor = "Expenses:Visits:" from ":" to
        host = "Income:Hosts:" to
        if (format == "beancount") {
            printf "%s * \"%s\"\n  %s  1 ENG\n  %s  -1 ENG\n\n", date, title, visitor, host
            accounts[visitor] = 1; accounts[host] = 1
        } else {
            printf "%s * %s\n    %s  1 ENG\n    %s  -1 ENG\n\n", date, title, visitor, host
        }
    }
    END {
        if (format == "beancount") for (account in accounts) printf "1980-01-01 open %s\n", account
    }' "$ledger"
}

build
LEDGER=$(synthetic "$ENTRIES")
note "track2 ledger: $LEDGER"

TOOLS=(track2)
for peer in $PEERS; do
    case $peer in
        ledger) command=ledger ;;
        hledger) command=hledger ;;
        beancount) command=bean-check ;;
        *) note "unknown peer $peer"; exit 2 ;;
    esac
    if command -v "$command" >/dev/null; then
        TOOLS+=("$peer")
    else
        note "skipped: $peer ($command is not installed)"
    fi
done

JOURNAL=$BENCH_DIR/peers-$ENTRIES-s$SEED.journal
BEANCOUNT=$BENCH_DIR/peers-$ENTRIES-s$SEED.beancount
for tool in "${TOOLS[@]}"; do
    case $tool in
        ledger | hledger) [[ -s $JOURNAL ]] || journal ledger "$LEDGER" >"$JOURNAL" ;;
        beancount) [[ -s $BEANCOUNT ]] || journal beancount "$LEDGER" >"$BEANCOUNT" ;;
    esac
done

version() {
    case $1 in
        track2) "$TRACK2" --version ;;
        ledger) ledger --version | head -n 1 ;;
        hledger) hledger --version ;;
        beancount) bean-check --version 2>&1 | head -n 1 ;;
    esac
}

echo "Peers at $ENTRIES entries, $(date -u '+%Y-%m-%d'), $(nproc) cores; median of $RUNS runs, files in the page cache."
echo
table_header "tool, command"
warm "$LEDGER"
read -r secs kb < <(measure wc -l "$LEDGER")
row "\`wc -l\` (a floor)" 0 "$(file_size "$LEDGER")" "$secs" "$kb"
for tool in "${TOOLS[@]}"; do
    note "timing $(version "$tool")…"
    case $tool in
        track2) file=$LEDGER; command=("$TRACK2" check "$LEDGER" --as-of 2026-01-01); label="track2 \`check\`" ;;
        ledger) file=$JOURNAL; command=(ledger -f "$JOURNAL" stats); label="ledger $(version ledger | awk '{print $2}' | tr -d ,) \`stats\`" ;;
        hledger) file=$JOURNAL; command=(hledger -f "$JOURNAL" check); label="$(version hledger | awk '{print $1, $2}' | tr -d ,) \`check\`" ;;
        beancount) file=$BEANCOUNT; command=(bean-check "$BEANCOUNT"); label="bean-check $(version beancount | awk '{print $2}')" ;;
    esac
    warm "$file"
    # One run first, which must succeed: a tool that rejects its input
    # would otherwise be timed on how fast it fails.
    if ! "${command[@]}" >/dev/null 2>"$BENCH_DIR/stderr.out"; then
        note "skipped: $label failed on $file:"
        head -n 5 "$BENCH_DIR/stderr.out" >&2
        continue
    fi
    read -r secs kb < <(measure "${command[@]}")
    row "$label" "$ENTRIES" "$(file_size "$file")" "$secs" "$kb"
done
