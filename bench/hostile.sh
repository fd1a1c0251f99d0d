#!/usr/bin/env bash
# track2 on the hostile shapes of issue 11, each at two sizes, to show that
# the time is linear in the size (the second size doubles the first, so a
# linear cost doubles too, and a quadratic one quadruples).
#
#   bench/hostile.sh [SCALE]    SCALE multiplies every size (default 1)
#
# The shapes, each a ledger that `track2 check` reads whole:
#
#   huge id      engagements whose participant is an undeclared id of 60,000
#                characters, beside a declared id about as long: the worst
#                case for "did you mean" (1 MB, 2 MB)
#   huge list    one engagement with `tags:` of N distinct ids (100k, 200k)
#   include chain  N files, each including the next (10k, 20k)
#   long line    one engagement whose note is a single line (100 MB, 200 MB)
#   tiny files   N files of one declaration each (50k, 100k)
#   misspellings N declared persons and N engagements, each naming a
#                distinct undeclared person one letter off a declared one:
#                the most work "did you mean" can be given (10k, 20k)
#   many parties N parties on the visiting side of one engagement, and a
#                `+1` participant of each (40k, 80k)
#
# For each: RUNS runs of `check` (median wall time, largest peak RSS), and
# the ratio of the larger size's time to the smaller's. Prints a Markdown
# table. Inputs are written to BENCH_DIR/hostile and reused.
#
# Environment: RUNS (3), BENCH_DIR (/tmp/track2-bench), ONLY (the labels
# of the shapes to time, comma-separated, e.g. ONLY="huge id,long line").
# BENCHMARKS.md records a run of this script.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

SCALE=${1:-1}
WORK=$BENCH_DIR/hostile
mkdir -p "$WORK"

HEADER=$'party AM Armenia\nparty AZ Azerbaijan\nformat forum Forum\n\n'

# N copies of CHARACTER, without a newline.
repeat() { head -c "$2" /dev/zero | tr '\0' "$1"; }

# Each shape writes its input for size N at PATH (a file or a directory)
# and prints nothing; a second call with the same N reuses it.

huge_id() {
    local bytes=$1 path=$2 count
    count=$((bytes / 60000))
    {
        printf '%s' "$HEADER"
        printf 'person p'; repeat y 60000; printf ' Long\n  party: AZ\n\n'
        for ((i = 1; i <= count; i++)); do
            printf '2025-11-04 AZ -> AM Forum %d\n  format: forum\n  participants: p' "$i"
            repeat x 60000
            printf '%d\n\n' "$i"
        done
    } >"$path"
}

huge_list() {
    local items=$1 path=$2
    {
        printf '%s' "$HEADER"
        printf '2025-11-04 AZ -> AM Forum\n  format: forum\n  tags: '
        seq 1 "$items" | awk '{ printf "%st%d", (NR > 1 ? ", " : ""), $1 } END { print "" }'
    } >"$path"
}

include_chain() {
    local files=$1 path=$2
    mkdir -p "$path"
    for ((i = 0; i < files; i++)); do
        if ((i + 1 < files)); then
            printf 'include "%06d.track2"\n' $((i + 1)) >"$path/$(printf %06d "$i").track2"
        else
            printf '%s' "$HEADER" >"$path/$(printf %06d "$i").track2"
        fi
    done
}

long_line() {
    local bytes=$1 path=$2
    {
        printf '%s' "$HEADER"
        printf '2025-11-04 AZ -> AM Forum\n  format: forum\n  note: '
        repeat x "$bytes"
        printf '\n'
    } >"$path"
}

tiny_files() {
    local files=$1 path=$2
    mkdir -p "$path"
    printf '%s' "$HEADER" >"$path/header.track2"
    for ((i = 0; i < files; i++)); do
        printf 'org o%d Org %d\n' "$i" "$i" >"$path/$(printf %06d "$i").track2"
    done
}

misspellings() {
    local count=$1 path=$2
    {
        printf '%s' "$HEADER"
        awk -v n="$count" 'BEGIN {
            for (i = 0; i < n; i++) printf "person expert-%07d Expert %d\n  party: AM\n\n", i, i
            for (i = 0; i < n; i++) printf "2025-11-04 AM -> AZ Forum %d\n  format: forum\n  participants: expert-%07dx\n\n", i, i
        }'
    } >"$path"
}

many_parties() {
    local count=$1 path=$2
    awk -v n="$count" 'BEGIN {
        for (i = 0; i < n; i++) printf "party P%d Party %d\n", i, i
        printf "format forum Forum\n\n2025-11-04 "
        for (i = 1; i < n; i++) printf "%sP%d", (i > 1 ? " + " : ""), i
        printf " -> P0 Forum\n  format: forum\n  participants: "
        for (i = 1; i < n; i++) printf "%s+1 P%d", (i > 1 ? ", " : ""), i
        printf "\n"
    }' >"$path"
}

# The shapes: label, generator, the smaller size (the larger is twice it).
SHAPES=(
    "huge id|huge_id|$((1000000 * SCALE))"
    "huge list|huge_list|$((100000 * SCALE))"
    "include chain|include_chain|$((10000 * SCALE))"
    "long line|long_line|$((100000000 * SCALE))"
    "tiny files|tiny_files|$((50000 * SCALE))"
    "misspellings|misspellings|$((10000 * SCALE))"
    "many parties|many_parties|$((40000 * SCALE))"
)

# The input for a shape at SIZE, generated on first use (into a temporary
# name first, so that an interrupted run leaves nothing half written).
input() {
    local generator=$1 size=$2 path
    case $generator in
    include_chain | tiny_files) path=$WORK/$generator-$size ;;
    *) path=$WORK/$generator-$size.track2 ;;
    esac
    if [[ ! -e $path ]]; then
        note "writing $generator, size $size…"
        rm -rf "$path.partial"
        "$generator" "$size" "$path.partial"
        mv "$path.partial" "$path"
    fi
    printf '%s\n' "$path"
}

# Reads every file below DIRECTORY into the page cache.
warm_dir() { find "$1" -type f -exec cat {} + >/dev/null; }

bytes_of() { du -sb "$1" | cut -f1; }

build
echo "track2 $(git -C "$REPO" rev-parse --short HEAD), $(date -u '+%Y-%m-%d'), $(nproc) cores; \`check\`, median of $RUNS runs, inputs in the page cache."
echo
printf '| shape | size | input | wall | peak RSS | time ×, size × 2 |\n'
printf '|---|---|---|---|---|---|\n'
for entry in "${SHAPES[@]}"; do
    IFS='|' read -r label generator small <<<"$entry"
    if [[ -n ${ONLY:-} && ",$ONLY," != *",$label,"* ]]; then
        continue
    fi
    previous=
    for size in "$small" $((small * 2)); do
        path=$(input "$generator" "$size")
        if [[ -d $path ]]; then warm_dir "$path"; else warm "$path"; fi
        note "timing check on $label, size $size…"
        read -r secs kb < <(measure "$TRACK2" check "$path" --as-of 2026-01-01)
        ratio=—
        [[ -n $previous ]] && ratio=$(awk -v a="$previous" -v b="$secs" 'BEGIN { printf "%.2f", (a > 0 ? b / a : 0) }')
        rss=n/a
        [[ $kb != n/a ]] && rss="$(awk -v kb="$kb" 'BEGIN { printf "%.0f MB", kb * 1024 / 1e6 }')"
        printf '| %s | %s | %s | %s s | %s | %s |\n' "$label" "$size" \
            "$(awk -v b="$(bytes_of "$path")" 'BEGIN { printf "%.1f MB", b / 1e6 }')" "$secs" "$rss" "$ratio"
        previous=$secs
    done
done
