#!/usr/bin/env bash
# fuzz/run.sh TARGET MINUTES: one AFL++ campaign on one reader (see FUZZING.md).
#
# Installs cargo-afl if missing, builds the harnesses instrumented (into target/afl, so the
# root's own target/debug is left alone), seeds from sample_data/, tests/data/ and, where
# present, ../shared/fit-corpus (written under target/, never into the repository), runs
# afl-fuzz niced for MINUTES, then prints executions, paths and crashes.
set -euo pipefail

usage="usage: fuzz/run.sh fit|zip|xml|journal|config MINUTES"
target=${1:?$usage}
minutes=${2:?$usage}
case "$target" in fit | zip | xml | journal | config) ;; *) echo "$usage" >&2; exit 2 ;; esac
[[ "$minutes" =~ ^[0-9]+$ && "$minutes" -gt 0 ]] || { echo "$usage" >&2; exit 2; }

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if ! cargo afl --version >/dev/null 2>&1; then
    echo "cargo-afl missing: cargo install cargo-afl" >&2
    nice -n 19 cargo install --locked cargo-afl
fi
# AFL++ itself, built once per toolchain; "already built" is not an error.
if ! out=$(nice -n 19 cargo afl config --build 2>&1); then
    grep -q "already built" <<<"$out" || { echo "$out" >&2; exit 1; }
fi

export CARGO_TARGET_DIR="$root/target/afl"
# Only the crates the readers run through are instrumented (see rustc-wrapper.sh), at
# opt-level 1: the build takes minutes, not an hour.
export RUSTC_WRAPPER="$root/fuzz/rustc-wrapper.sh"
AFL_OPT_LEVEL=${AFL_OPT_LEVEL:-1} cargo afl build --locked -p recovery-fuzz --bins
bin="$CARGO_TARGET_DIR/debug"

run="$root/target/afl-runs/$target/$(date -u +%Y%m%dT%H%M%S)"
mkdir -p "$run"
"$bin/seeds" "$target" "$run/seeds"

dict=()
[[ -f "$root/fuzz/dict/$target.dict" ]] && dict=(-x "$root/fuzz/dict/$target.dict")

# A container: no CPU frequency governor, no core_pattern to set, no terminal UI; the
# machine is shared, so no core pinning and the lowest priority.
export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 \
    AFL_NO_AFFINITY=1 AFL_SKIP_CRASHES=1 RUST_BACKTRACE=0
seconds=$((minutes * 60))
echo "campaign: $target for $minutes min in $run"
nice -n 19 cargo afl fuzz -i "$run/seeds" -o "$run/out" -V "$seconds" -t 2000 "${dict[@]}" \
    -- "$bin/$target" >"$run/afl.log" 2>&1 || {
    tail -30 "$run/afl.log" >&2
    exit 1
}

stats="$run/out/default/fuzzer_stats"
stat() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
crashes=$(find "$run/out/default/crashes" -type f -name 'id:*' 2>/dev/null | wc -l)
echo "target:     $target"
echo "minutes:    $minutes (ran $(stat run_time) s)"
echo "executions: $(stat execs_done) ($(stat execs_per_sec)/s)"
echo "paths:      $(stat corpus_count) (edges found $(stat edges_found), coverage $(stat bitmap_cvg))"
echo "crashes:    $crashes saved ($(stat saved_crashes) by afl-fuzz), hangs: $(stat saved_hangs)"
[[ "$crashes" -eq 0 ]] || echo "crash inputs: $run/out/default/crashes/"
