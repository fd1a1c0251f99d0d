#!/usr/bin/env bash
# Two builds of track2 compared on the same inputs, run by run.
#
#   bench/ab.sh OLD NEW      two track2 binaries (e.g. one built from the
#                            previous main in a git worktree, and this one)
#
# This machine's speed drifts by tens of percent over minutes, so tables
# taken at different times cannot be compared. Here every command runs on
# both binaries RUNS times, in pairs run back to back (A B, then B A, so
# that neither always goes first). Each binary gets the median of its own
# runs; the ratio is the median of the pairs' ratios, which cancels a drift
# slower than one pair. CPU time (user + system) is given beside the wall
# time because it moves less when other work shares the cores. Peak RSS is
# the largest of each binary's runs. bench/measure.py takes each run, to
# the microsecond.
#
# The inputs: the bilateral synthetic ledger of 1M engagements (the targets
# of issue 6) and the regional one of 100k (issue 10), generated on first
# use by this checkout's generator. A run over TIMEOUT seconds (300) counts
# as not finishing.
#
# Environment: RUNS (3), BENCH_DIR, SEED, TIMEOUT, ONLY (labels to run,
# comma-separated). Prints a Markdown table; BENCHMARKS.md records a run.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

[[ $# -eq 2 ]] || { note "usage: bench/ab.sh OLD NEW"; exit 2; }
OLD=$1 NEW=$2
TIMEOUT=${TIMEOUT:-300}
command -v python3 >/dev/null || { note "bench/ab.sh needs python3, which bench/measure.py runs on"; exit 2; }
[[ -x $SYNTHETIC ]] || build

AS_OF="--as-of 2026-01-01"
CASES=(
    "check, bilateral 1M|1000000|bilateral|check PATH $AS_OF"
    "summary, bilateral 1M|1000000|bilateral|summary PATH $AS_OF"
    "report directions, bilateral 1M|1000000|bilateral|report directions PATH $AS_OF"
    "fmt --check, bilateral 1M|1000000|bilateral|fmt --check PATH"
    "check, regional 100k|100000|regional|check PATH $AS_OF"
    "summary, regional 100k|100000|regional|summary PATH $AS_OF"
    "report directions, regional 100k|100000|regional|report directions PATH $AS_OF"
    "report sponsors, regional 100k|100000|regional|report sponsors PATH $AS_OF"
    "report timeline, regional 100k|100000|regional|report timeline PATH $AS_OF"
)

# One run of BINARY ARGS…: "WALL CPU KB", "timeout timeout 0" or
# "failed failed 0" (bench/measure.py says when).
run_once() {
    python3 "$REPO/bench/measure.py" "$TIMEOUT" "$@"
}

median() { sort -n | sed -n "$(((RUNS + 1) / 2))p"; }

echo "| command, shape and size | old wall | new wall | new / old | old CPU | new CPU | new / old | old peak RSS | new peak RSS | new / old |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for entry in "${CASES[@]}"; do
    IFS='|' read -r label entries shape command <<<"$entry"
    if [[ -n ${ONLY:-} && ",$ONLY," != *",$label,"* ]]; then continue; fi
    path=$(synthetic "$entries" 0 "$shape")
    warm "$path"
    read -ra args <<<"${command//PATH/$path}"
    old_walls=() new_walls=() old_cpus=() new_cpus=() old_kb=0 new_kb=0
    for ((run = 0; run < RUNS; run++)); do
        note "$label: run $((run + 1)) of $RUNS…"
        for binary in $( ((run % 2 == 0)) && echo "OLD NEW" || echo "NEW OLD"); do
            read -r wall cpu kb < <(run_once "${!binary}" "${args[@]}")
            if [[ $binary == OLD ]]; then
                old_walls+=("$wall") old_cpus+=("$cpu")
                if ((kb > old_kb)); then old_kb=$kb; fi
            else
                new_walls+=("$wall") new_cpus+=("$cpu")
                if ((kb > new_kb)); then new_kb=$kb; fi
            fi
        done
    done
    old=$(printf '%s\n' "${old_walls[@]}" | median)
    new=$(printf '%s\n' "${new_walls[@]}" | median)
    old_cpu=$(printf '%s\n' "${old_cpus[@]}" | median)
    new_cpu=$(printf '%s\n' "${new_cpus[@]}" | median)
    # One failed or timed-out run marks the whole row: a median over it
    # would hide it.
    for outcome in timeout failed; do
        if [[ " ${old_walls[*]} " == *" $outcome "* ]]; then old=$outcome old_cpu=$outcome; fi
        if [[ " ${new_walls[*]} " == *" $outcome "* ]]; then new=$outcome new_cpu=$outcome; fi
    done
    ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a !~ /^[0-9.]+$/ || a + 0 == 0 || b !~ /^[0-9.]+$/) print "—"; else printf "%.2f", b / a }'; }
    # The median of NEW / OLD over the pairs (lists of old, then new, values).
    paired() {
        local -n olds=$1 news=$2
        if [[ " ${olds[*]} ${news[*]} " =~ (timeout|failed) ]]; then echo "—"; return; fi
        for ((i = 0; i < RUNS; i++)); do
            awk -v a="${olds[i]}" -v b="${news[i]}" 'BEGIN { if (a + 0 == 0) print 0; else printf "%.4f\n", b / a }'
        done | median | awk '{ printf "%.2f", $1 }'
    }
    secs() { if [[ $1 =~ ^[0-9.]+$ ]]; then printf '%.3f s\n' "$1"; else echo "$1"; fi; }
    mb() { awk -v k="$1" 'BEGIN { printf "%.0f MB", k / 1024 }'; }
    if [[ $old == failed || $new == failed ]]; then old_kb=0 new_kb=0; fi
    echo "| $label | $(secs "$old") | $(secs "$new") | $(paired old_walls new_walls) | $(secs "$old_cpu") | $(secs "$new_cpu") | $(paired old_cpus new_cpus) | $(mb "$old_kb") | $(mb "$new_kb") | $(ratio "$old_kb" "$new_kb") |"
done
