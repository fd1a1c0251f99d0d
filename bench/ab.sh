#!/usr/bin/env bash
# Two builds of track2 compared on the same inputs, run by run.
#
#   bench/ab.sh OLD NEW      two track2 binaries (e.g. one built from the
#                            previous main in a git worktree, and this one)
#
# This machine's speed drifts by tens of percent over minutes, so tables
# taken at different times cannot be compared. Here every command runs on
# OLD then NEW, RUNS times (A B A B …), and each gets the median of its own
# runs: a drift slows both alike. CPU time (user + system) is given beside
# the wall time because it moves less when other work shares the cores.
# Peak RSS is the largest of each binary's runs, from GNU time.
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
[[ -n $GNU_TIME ]] || { note "bench/ab.sh needs GNU time (apt-get install -y time)"; exit 2; }
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

# One run of BINARY ARGS…: prints "WALL CPU KB" (seconds, seconds,
# kilobytes), "timeout timeout 0", or "failed failed 0" when the command
# exits with 2 or more (`check` exits 1 on a ledger with errors, which is
# still a run).
run_once() {
    local out=$BENCH_DIR/ab-time.out status=0
    timeout "$TIMEOUT" "$GNU_TIME" -f '%e %U %S %M' -o "$out" "$@" >/dev/null 2>&1 || status=$?
    if [[ $status -eq 124 ]]; then
        echo "timeout timeout 0"
    elif [[ $status -ge 2 ]]; then
        # A run that could not do its job (a missing input, a usage error)
        # must not pass for a fast one.
        note "failed with exit status $status: $*"
        echo "failed failed 0"
    else
        tail -n 1 "$out" | awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }'
    fi
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
        read -r wall cpu kb < <(run_once "$OLD" "${args[@]}")
        old_walls+=("$wall") old_cpus+=("$cpu")
        if ((kb > old_kb)); then old_kb=$kb; fi
        read -r wall cpu kb < <(run_once "$NEW" "${args[@]}")
        new_walls+=("$wall") new_cpus+=("$cpu")
        if ((kb > new_kb)); then new_kb=$kb; fi
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
    secs() { if [[ $1 =~ ^[0-9.]+$ ]]; then echo "$1 s"; else echo "$1"; fi; }
    mb() { awk -v k="$1" 'BEGIN { printf "%.0f MB", k / 1024 }'; }
    if [[ $old == failed || $new == failed ]]; then old_kb=0 new_kb=0; fi
    echo "| $label | $(secs "$old") | $(secs "$new") | $(ratio "$old" "$new") | $(secs "$old_cpu") | $(secs "$new_cpu") | $(ratio "$old_cpu" "$new_cpu") | $(mb "$old_kb") | $(mb "$new_kb") | $(ratio "$old_kb" "$new_kb") |"
done
