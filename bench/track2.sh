#!/usr/bin/env bash
# track2's own commands at growing sizes, against the targets of issue 6.
#
#   bench/track2.sh [N…]      engagements per ledger (default 10000 100000 1000000)
#
# For each size, generates a valid synthetic ledger (examples/synthetic.rs)
# and times the release binary's commands on it: RUNS runs each, median wall
# time, largest peak RSS, file in the page cache. Then times `check` on
# ledgers with 10,000 injected errors, in each output format: the 100k ledger
# and the largest size asked for. Prints Markdown tables.
#
# To measure another command, add a line to COMMANDS: a label, then its
# arguments with PATH standing for the ledger. A command this build of
# track2 does not have is listed as missing, not timed.
#
# Environment: RUNS (3), BENCH_DIR (/tmp/track2-bench), SEED (1).
# BENCHMARKS.md records a run of this script.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

SIZES=("$@")
[[ ${#SIZES[@]} -gt 0 ]] || SIZES=(10000 100000 1000000)
AS_OF=(--as-of 2026-01-01)

COMMANDS=(
    "check|check PATH ${AS_OF[*]}"
    "summary|summary PATH ${AS_OF[*]}"
    "report directions|report directions PATH ${AS_OF[*]}"
    "fmt --check|fmt --check PATH"
)

# 10000 -> 10k, 1000000 -> 1M.
size() { ((($1) >= 1000000)) && echo "$(($1 / 1000000))M" || echo "$(($1 / 1000))k"; }

# Whether this build has the subcommand that ARGS starts with.
has_command() { "$TRACK2" "$1" --help >/dev/null 2>&1; }

build
echo "track2 $(git -C "$REPO" rev-parse --short HEAD), $(date -u '+%Y-%m-%d'), $(nproc) cores; median of $RUNS runs, files in the page cache."
echo
echo "Valid ledgers:"
echo
table_header "command, size"
for entries in "${SIZES[@]}"; do
    ledger=$(synthetic "$entries")
    bytes=$(file_size "$ledger")
    warm "$ledger"
    for entry in "${COMMANDS[@]}"; do
        label=${entry%%|*}
        read -ra args <<<"${entry#*|}"
        args=("${args[@]/#PATH/$ledger}")
        if ! has_command "${args[0]}"; then
            printf '| %s | %s | not in this build |||||||\n' "$label" "$entries"
            continue
        fi
        note "timing track2 $label on $entries engagements…"
        read -r secs kb < <(measure "$TRACK2" "${args[@]}")
        row "\`$label\`, $(size "$entries")" "$entries" "$bytes" "$secs" "$kb"
    done
done

echo
echo "10,000 errors, every diagnostic rendered (the whole run: read, check, render):"
echo
table_header "output, ledger"
largest=${SIZES[-1]}
for entries in $(printf '%s\n' 100000 "$largest" | sort -nu); do
    ((entries >= 10000)) || continue
    ledger=$(synthetic "$entries" 10000)
    bytes=$(file_size "$ledger")
    warm "$ledger"
    for format in human json github; do
        note "timing check --format $format with 10,000 errors in $entries engagements…"
        read -r secs kb < <(measure "$TRACK2" check "$ledger" "${AS_OF[@]}" --format "$format")
        row "\`--format $format\`, $(size "$entries")" "$entries" "$bytes" "$secs" "$kb"
    done
done
