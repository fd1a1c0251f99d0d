# Shared by the scripts in bench/: paths, building, inputs and timing.
# Source it; it defines functions and variables and runs nothing else.
#
# Environment:
#   RUNS       runs per measurement; the median wall time is reported (3)
#   BENCH_DIR  where generated inputs and scratch files go (/tmp/track2-bench)
#   SEED       the synthetic ledgers' seed (1)

RUNS=${RUNS:-3}
BENCH_DIR=${BENCH_DIR:-/tmp/track2-bench}
SEED=${SEED:-1}
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TRACK2=$REPO/target/release/track2
SYNTHETIC=$REPO/target/release/examples/synthetic
mkdir -p "$BENCH_DIR"

note() { printf '%s\n' "$*" >&2; }

# The release binary and the generator, built from this checkout.
build() {
    note "building the release binary and the generator…"
    (cd "$REPO" && cargo build --release --quiet --bin track2 --example synthetic)
}

# GNU time measures peak RSS. Without it, wall time only, and RSS is `n/a`.
GNU_TIME=
if [[ -x /usr/bin/time ]] && /usr/bin/time -f '%M' true >/dev/null 2>&1; then
    GNU_TIME=/usr/bin/time
elif [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    note "GNU time is missing: installing it (apt-get install -y time) to measure peak RSS"
    if apt-get install -y -qq time >/dev/null 2>&1 && /usr/bin/time -f '%M' true >/dev/null 2>&1; then
        GNU_TIME=/usr/bin/time
    fi
fi
[[ -n $GNU_TIME ]] || note "GNU time not available: peak RSS is reported as n/a (apt-get install -y time)"

# Prints the path of a synthetic ledger of N engagements with ERRORS injected
# errors (default 0) in SHAPE (default bilateral; see `synthetic --help`),
# generating it on first use.
synthetic() {
    local entries=$1 errors=${2:-0} shape=${3:-bilateral}
    local name=synthetic-$entries-e$errors-s$SEED.track2
    [[ $shape == bilateral ]] || name=synthetic-$shape-$entries-e$errors-s$SEED.track2
    local path=$BENCH_DIR/$name
    if [[ ! -s $path ]]; then
        "$SYNTHETIC" --entries "$entries" --errors "$errors" --seed "$SEED" --shape "$shape" --out "$path" >&2
    fi
    printf '%s\n' "$path"
}

# Reads FILES into the page cache, so that runs measure the tool, not the disk.
warm() { cat "$@" >/dev/null; }


# Runs COMMAND... RUNS times, its output discarded and its exit status
# ignored (check exits 1 on a ledger with errors). Prints "SECONDS KB": the
# median wall time, and the largest peak RSS in kilobytes (or n/a).
measure() {
    local walls=() start end kb=n/a
    local rss_file=$BENCH_DIR/rss.out
    for ((run = 0; run < RUNS; run++)); do
        # EPOCHREALTIME is read without starting a process, and the command
        # runs bare: nothing but the command falls inside the interval, which
        # matters for runs of a few milliseconds.
        start=${EPOCHREALTIME/./}
        "$@" >/dev/null 2>&1 || true
        end=${EPOCHREALTIME/./}
        walls+=("$(awk -v us=$((10#$end - 10#$start)) 'BEGIN { printf "%.4f", us / 1e6 }')")
    done
    # Peak RSS from one more run under GNU time, which puts "Command exited
    # with non-zero status" first.
    if [[ -n $GNU_TIME ]]; then
        "$GNU_TIME" -f '%M' -o "$rss_file" "$@" >/dev/null 2>&1 || true
        kb=$(tail -n 1 "$rss_file")
    fi
    local median
    median=$(printf '%s\n' "${walls[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p")
    printf '%s %s\n' "$median" "$kb"
}

# One Markdown table row: NAME ENTRIES BYTES SECONDS KB. Entries/s and MB/s
# are over the tool's own input; RSS also as a multiple of the input's size.
# ENTRIES 0 means "not counted" (wc -l).
row() {
    awk -v name="$1" -v entries="$2" -v bytes="$3" -v secs="$4" -v kb="$5" '
    function grouped(n,    s) {
        s = sprintf("%d", n)
        while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]($|,)/, ",&", s)
        return s
    }
    BEGIN {
        if (kb == "n/a") { rss = "n/a"; times = "n/a" }
        else { rss = sprintf("%.0f MB", kb * 1024 / 1e6); times = sprintf("%.1f×", kb * 1024 / bytes) }
        count = entries > 0 ? grouped(entries) : "—"
        rate = entries > 0 && secs > 0 ? grouped(entries / secs) : "—"
        mbs = secs > 0 ? sprintf("%.1f", bytes / 1e6 / secs) : "—"
        printf "| %s | %s | %.1f MB | %.3f s | %s | %s | %s | %s |\n", name, count, bytes / 1e6, secs, rate, mbs, rss, times
    }'
}

table_header() {
    printf '| %s | entries | input | wall (median of %d) | entries/s | MB/s | peak RSS | RSS / input |\n' "$1" "$RUNS"
    printf '|---|---|---|---|---|---|---|---|\n'
}

file_size() { wc -c <"$1" | tr -d ' '; }
