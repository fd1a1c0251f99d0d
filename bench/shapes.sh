#!/usr/bin/env bash
# track2's commands on ledgers of each shape, for the reports of issue 10.
#
#   bench/shapes.sh [N…]      engagements per ledger (default 100000)
#
# For each size and each shape in SHAPES ("bilateral regional"), generates a
# valid synthetic ledger (examples/synthetic.rs --shape) and times the
# release binary's commands on it as bench/track2.sh does: RUNS runs each,
# median wall time, largest peak RSS, file in the page cache. The bilateral
# shape is a dozen parties and mostly bilateral visits; the regional one 40
# parties, joint delegations of up to four and 2,000 orgs, so thousands of
# directions: the shape on which reports grew with values × directions.
#
# A command is first run once under limits: TIMEOUT seconds (300) and
# LIMIT_GB of address space (12). One that does not finish within them is
# listed as such and not timed, so that a report that grows with values ×
# directions cannot take a shared machine down.
#
# Environment: RUNS (3), BENCH_DIR (/tmp/track2-bench), SEED (1), SHAPES,
# TIMEOUT, LIMIT_GB. BENCHMARKS.md records a run of this script.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

SIZES=("$@")
[[ ${#SIZES[@]} -gt 0 ]] || SIZES=(100000)
read -ra SHAPES <<<"${SHAPES:-bilateral regional}"
TIMEOUT=${TIMEOUT:-300}
LIMIT_GB=${LIMIT_GB:-12}
AS_OF=(--as-of 2026-01-01)

COMMANDS=(
    "check|check PATH ${AS_OF[*]}"
    "summary|summary PATH ${AS_OF[*]}"
    "report directions|report directions PATH ${AS_OF[*]}"
    "report sponsors|report sponsors PATH ${AS_OF[*]}"
    "report timeline|report timeline PATH ${AS_OF[*]}"
    "fmt --check|fmt --check PATH"
)

# 10000 -> 10k, 1000000 -> 1M.
size() { ((($1) >= 1000000)) && echo "$(($1 / 1000000))M" || echo "$(($1 / 1000))k"; }

# The command, under the time and memory limits.
limited() { echo timeout "$TIMEOUT" prlimit --as=$((LIMIT_GB << 30)); }

# Whether "$@" finishes within the limits (track2 exits 0 or 1 when it does).
finishes() {
    local status=0
    # shellcheck disable=SC2046
    $(limited) "$@" >/dev/null 2>&1 || status=$?
    ((status <= 1))
}

build
echo "track2 $(git -C "$REPO" rev-parse --short HEAD), $(date -u '+%Y-%m-%d'), $(nproc) cores; median of $RUNS runs, files in the page cache; limits ${TIMEOUT} s and ${LIMIT_GB} GB."
echo
table_header "command, shape and size"
summaries=()
for entries in "${SIZES[@]}"; do
    for shape in "${SHAPES[@]}"; do
        ledger=$(synthetic "$entries" 0 "$shape")
        bytes=$(file_size "$ledger")
        warm "$ledger"
        directions=$("$TRACK2" report directions "$ledger" "${AS_OF[@]}" --output csv | tail -n +2 | wc -l)
        summaries+=("$shape $(size "$entries"): $directions directions")
        for entry in "${COMMANDS[@]}"; do
            label=${entry%%|*}
            read -ra args <<<"${entry#*|}"
            args=("${args[@]/#PATH/$ledger}")
            name="\`$label\`, $shape $(size "$entries")"
            note "trying track2 $label on the $shape ledger of $entries engagements…"
            if ! finishes "$TRACK2" "${args[@]}"; then
                printf '| %s | %s | %.1f MB | did not finish within %s s and %s GB |||||\n' \
                    "$name" "$entries" "$(awk -v b="$bytes" 'BEGIN { print b / 1e6 }')" "$TIMEOUT" "$LIMIT_GB"
                continue
            fi
            # shellcheck disable=SC2046
            read -r secs kb < <(measure $(limited) "$TRACK2" "${args[@]}")
            row "$name" "$entries" "$bytes" "$secs" "$kb"
        done
    done
done

echo
echo "Distinct directions (rows of \`report directions\`): $(IFS=';'; echo "${summaries[*]}" | sed 's/;/; /g')."
