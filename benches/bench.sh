#!/usr/bin/env bash
# How fast `recovery` reads a watch export: each decoder alone and the whole command, against
# the floor of reading the same bytes.
#
# Usage:  benches/bench.sh [--files N] [--dir DIR] [--profile]
#   --files N   synthetic activities to generate (default 1000; up to 10000)
#   --dir DIR   where the export goes (default ${TMPDIR:-/tmp}/recovery-bench-N); kept between
#               runs and never inside the repository
#   --profile   also record where the time goes: perf if present, else valgrind callgrind on
#               a small subset
#   --team A    only the team comparison (see the "team" block): the N files split into A
#               athletes of N/A files each, `recovery team` against one `analyze` of all N
#
# One run does:
#   1. cargo build --release of the binary and the two examples it uses
#   2. examples/bench_export.rs writes DIR/export/ and DIR/export.zip (skipped if present):
#      1 s and smart recording, 30 min to 6 h, laps, pauses, ~10 % multisport, ~10 % compressed
#      timestamps, a few developer fields
#   3. times, with a warm page cache (each step is preceded by reading its inputs, so the
#      floor is the cost of reading bytes, not the disk), the best of 3 runs (fitparser: 1):
#      (a) fitparser decode alone, one thread          examples/bench_decode.rs fitparser
#      (b) the selective decoder alone, one thread      examples/bench_decode.rs fast
#      (c) recovery analyze on the folder                (all cores, reports written)
#      (c2) recovery sessions on the folder              (ingest and classification only)
#      (d) recovery analyze on the zip
#      (e) cat of the same files to /dev/null            the read floor
#      (f) inflating the zip: unzip -p, and the zip crate + flate2 on one thread
#   4. prints MB/s (uncompressed FIT bytes), sessions/s, peak RSS, and ratios to (a) and (e)
#      (zip steps also to (f2), the inflater ingest uses). Targets, never asserted: (b) >= 100x
#      (a); (c) within 3x of (e); (d) within 1.5x of (f2); peak RSS < 300 MB at 10,000 files.
#      It also checks that the sessions table is the same through fitparser and the fast
#      decoder, and from the folder and the zip.
set -euo pipefail

files=1000
dir=""
profile=0
team=0
while [ $# -gt 0 ]; do
    case "$1" in
        --files) files="$2"; shift 2 ;;
        --dir) dir="$2"; shift 2 ;;
        --profile) profile=1; shift ;;
        --team) team="$2"; shift 2 ;;
        -h|--help) sed -n '2,32p' "$0"; exit 0 ;;
        *) echo "error: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
if ! [[ "$files" =~ ^[0-9]+$ ]] || [ "$files" -lt 1 ] || [ "$files" -gt 10000 ]; then
    echo "error: --files needs a number from 1 to 10000" >&2
    exit 2
fi
repo="$(cd "$(dirname "$0")/.." && pwd)"
dir="${dir:-${TMPDIR:-/tmp}/recovery-bench-$files}"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
case "$dir/" in
    "$repo"/*) echo "error: --dir must be outside the repository ($repo)" >&2; exit 2 ;;
esac
target="${CARGO_TARGET_DIR:-$repo/target}"

echo "== building release (polars makes the first build take several minutes)"
(cd "$repo" && cargo build --release --quiet --bin recovery --example bench_export --example bench_decode)
bin="$target/release/recovery"
ex="$target/release/examples"

if [ ! -f "$dir/export.zip" ]; then
    echo "== generating $files activities in $dir"
    rm -rf "$dir/export"
    "$ex/bench_export" "$dir" --files "$files"
fi
bytes=$(find "$dir/export" -name '*.fit' -printf '%s\n' | awk '{s += $1} END {print s}')
zip_bytes=$(stat -c %s "$dir/export.zip")

have_time=0
[ -x /usr/bin/time ] && have_time=1

# ----- team (issue 17) -------------------------------------------------------------------------
# `recovery team` on A athletes × N/A files against one `analyze` of the same N files as a single
# folder, and the same team cut to A/4 athletes: the time should stay within 1.3× of the single
# analyze, and the peak RSS should not grow with the number of athletes. The athletes' folders
# hold hard links to the export's files (file k goes to athlete k / (N/A)), so no bytes are copied.
if [ "$team" -gt 0 ]; then
    if [ $((files % team)) -ne 0 ] || [ "$team" -lt 4 ]; then
        echo "error: --team needs at least 4 athletes and to divide --files ($files)" >&2
        exit 2
    fi
    per=$((files / team))
    tdir="$dir/team-$team"
    qdir="$dir/team-$team-quarter"
    if [ ! -d "$tdir" ]; then
        echo "== linking $team athletes × $per files into $tdir"
        mkdir -p "$tdir" "$qdir"
        k=0
        while read -r f; do
            a=$(printf 'athlete-%03d' $((k / per)))
            mkdir -p "$tdir/$a"
            ln "$f" "$tdir/$a/"
            k=$((k + 1))
        done < <(find "$dir/export" -name '*.fit' | sort)
        for a in $(ls "$tdir" | sort | head -n $((team / 4))); do ln -s "$tdir/$a" "$qdir/$a"; done
    fi
    tm() { # tm NAME CMD...: wall seconds and peak RSS (KiB) into $wall $rss
        local name="$1"; shift
        find "$dir/export" -name '*.fit' -exec cat {} + > /dev/null
        if [ -x /usr/bin/time ]; then
            /usr/bin/time -v -o "$dir/time.$name" "$@" > "$dir/out.$name" 2> "$dir/err.$name" || true
            wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$dir/time.$name")
            rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$dir/time.$name")
        else
            local t0; t0=$(date +%s.%N)
            "$@" > "$dir/out.$name" 2> "$dir/err.$name" || true
            wall=$(echo "$(date +%s.%N) - $t0" | bc -l); rss=0
        fi
    }
    load_start=$(cut -d' ' -f1-3 /proc/loadavg)
    echo "== (t1) recovery analyze, all $files files as one folder"
    rm -rf "$dir/reports-one"; tm t1 "$bin" analyze "$dir/export" --out "$dir/reports-one" --quiet; t1_s=$wall; t1_rss=$rss
    echo "== (t2) recovery team, $team athletes × $per files"
    rm -rf "$dir/reports-team"; tm t2 "$bin" team "$tdir" --out "$dir/reports-team"; t2_s=$wall; t2_rss=$rss
    echo "== (t3) recovery team, $((team / 4)) athletes × $per files"
    rm -rf "$dir/reports-quarter"; tm t3 "$bin" team "$qdir" --out "$dir/reports-quarter"; t3_s=$wall; t3_rss=$rss
    echo "== (t4) recovery analyze, one athlete's $per files"
    rm -rf "$dir/reports-athlete"; tm t4 "$bin" analyze "$tdir/athlete-000" --out "$dir/reports-athlete" --quiet; t4_s=$wall; t4_rss=$rss
    echo
    echo "machine: $(nproc) cores; load average before the runs $load_start; $(date -u +%Y-%m-%dT%H:%MZ)"
    echo "team: $(tail -n 1 "$dir/out.t2")"
    printf "%-52s %9s %8s %10s\n" step seconds "RSS MB" "vs (t1)"
    awk -F'\t' -v t1="$t1_s" '{printf "%-52s %9.2f %8.0f %9.2fx\n", $1, $2, $3 / 1024, $2 / t1}' <<EOF
(t1) analyze, $files files as one folder	$t1_s	$t1_rss
(t2) team, $team athletes x $per files	$t2_s	$t2_rss
(t3) team, $((team / 4)) athletes x $per files	$t3_s	$t3_rss
(t4) analyze, one athlete of $per files	$t4_s	$t4_rss
EOF
    echo "(target: (t2) <= 1.3x (t1); (t2) RSS about (t3) RSS: memory does not grow with athletes)"
    exit 0
fi
# ----- end of team ------------------------------------------------------------------------------

warm() { find "$dir/export" -name '*.fit' -exec cat {} + > /dev/null; cat "$dir/export.zip" > /dev/null; }

# run NAME REPS CMD...: the best wall time (s), the best inner time of the examples (s) and
# the peak RSS (KiB) of REPS runs of CMD into $wall, $inner and $rss; the last output in $out.
run() {
    local name="$1" reps="$2" i w r
    shift 2
    wall=""; rss=0; inner=""
    for ((i = 0; i < reps; i++)); do
        warm
        if [ "$have_time" = 1 ]; then
            /usr/bin/time -v -o "$dir/time.$name" "$@" > "$dir/out.$name" 2> "$dir/err.$name" || true
            w=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$dir/time.$name")
            r=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$dir/time.$name")
        else
            local t0 t1
            t0=$(date +%s.%N)
            "$@" > "$dir/out.$name" 2> "$dir/err.$name" || true
            t1=$(date +%s.%N)
            w=$(echo "$t1 - $t0" | bc -l)
            r=$(grep -o 'peak_rss_kib=[0-9]*' "$dir/out.$name" | cut -d= -f2 || echo 0)
        fi
        if [ -z "$wall" ] || awk -v a="$w" -v b="$wall" 'BEGIN {exit !(a < b)}'; then wall=$w; fi
        # The examples time their own inner loop (without start-up and file reading).
        i_s=$(grep -o 'seconds=[0-9.]*' "$dir/out.$name" | cut -d= -f2 || true)
        if [ -n "$i_s" ] && { [ -z "$inner" ] || awk -v a="$i_s" -v b="$inner" 'BEGIN {exit !(a < b)}'; }; then inner=$i_s; fi
        [ "${r:-0}" -gt "$rss" ] && rss=$r
    done
    out="$dir/out.$name"
}
field() { grep -o "$1=[0-9.]*" "$out" | cut -d= -f2; }

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== (a) fitparser decode alone, one thread"
run a 1 "$ex/bench_decode" fitparser "$dir/export"; a_s=$inner; sessions=$(field sessions); a_rss=$rss
echo "== (b) selective decoder alone, one thread"
run b 3 "$ex/bench_decode" fast "$dir/export"; b_s=$inner; b_rss=$rss
[ "$(field sessions)" = "$sessions" ] || echo "warning: the decoders found different session counts" >&2
echo "== (c) recovery analyze on the folder"
run c 3 "$bin" analyze "$dir/export" --out "$dir/reports-folder" --quiet; c_s=$wall; c_rss=$rss
echo "== (c2) recovery sessions on the folder"
run c2 3 "$bin" sessions "$dir/export" --format csv --quiet; c2_s=$wall; c2_rss=$rss
echo "== (d) recovery analyze on the zip"
run d 3 "$bin" analyze "$dir/export.zip" --out "$dir/reports-zip" --quiet; d_s=$wall; d_rss=$rss
echo "== (e) cat to /dev/null"
run e 3 sh -c "find '$dir/export' -name '*.fit' -exec cat {} + > /dev/null"; e_s=$wall; e_rss=$rss
echo "== (f) inflating the zip"
run f2 3 "$ex/bench_decode" inflate "$dir/export.zip"; f2_s=$inner; f2_rss=$rss
f_s=""
if command -v unzip > /dev/null; then
    run f 3 sh -c "unzip -p '$dir/export.zip' > /dev/null"; f_s=$wall; f_rss=$rss
fi
# The same sessions from the folder and the zip (file labels differ: drop that column).
"$bin" sessions "$dir/export.zip" --format csv --quiet 2> /dev/null | cut -d, -f2- > "$dir/zip.csv"
cut -d, -f2- "$dir/out.c2" | cmp -s - "$dir/zip.csv" && zip_same="identical" || zip_same="DIFFERENT"
fitparser_check=$(RECOVERY_DECODER=fitparser "$bin" sessions "$dir/export" --format csv --quiet 2> /dev/null | md5sum)
fast_check=$(md5sum < "$dir/out.c2")
[ "$fitparser_check" = "$fast_check" ] && same="identical" || same="DIFFERENT"

echo
echo "machine: $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1e6}' /proc/meminfo); $(uname -sr); $(date -u +%Y-%m-%dT%H:%MZ); load average before the runs $load_start"
echo "export: $files files, $sessions sessions, $((bytes / 1000000)) MB of FIT ($((zip_bytes / 1000000)) MB zipped) in $dir"
echo "sessions table through fitparser and through the fast decoder: $same; from the folder and from the zip: $zip_same"
echo
printf "%-44s %9s %10s %12s %8s %10s %10s %10s\n" step seconds MB/s sessions/s "RSS MB" "vs (a)" "vs (e)" "vs infl."
awk -F'\t' -v mb="$bytes" -v n="$sessions" -v a="$a_s" -v e="$e_s" -v f="$f2_s" '
$2 == "" { next }
{ s = $2; printf "%-44s %9.3f %10.1f %12.0f %8.0f %9.1fx %9.2fx", $1, s, mb / 1e6 / s, n / s, $3 / 1024, a / s, s / e
  if ($4 == "zip") printf " %9.2fx", s / f
  printf "\n" }' <<EOF
(a) fitparser decode alone, 1 thread	$a_s	$a_rss
(b) selective decoder alone, 1 thread	$b_s	$b_rss
(c) recovery analyze, folder	$c_s	$c_rss
(c2) recovery sessions, folder	$c2_s	$c2_rss
(d) recovery analyze, zip	$d_s	$d_rss	zip
(e) cat to /dev/null (the floor)	$e_s	$e_rss
(f) unzip -p to /dev/null	${f_s:-}	${f_rss:-0}	zip
(f2) zip crate + flate2 inflate, 1 thread	$f2_s	$f2_rss	zip
EOF
echo "(vs (a): times faster than fitparser alone; vs (e): times the read floor's time; vs infl.: times (f2)'s time)"

if [ "$profile" = 1 ]; then
    echo
    if command -v perf > /dev/null; then
        echo "== perf profile of (b) the selective decoder alone"
        perf record -q -g -o "$dir/perf.b" "$ex/bench_decode" fast "$dir/export" > /dev/null 2>&1 || true
        perf report -i "$dir/perf.b" --stdio --no-children --percent-limit 2 2> /dev/null | grep -E '^ +[0-9.]+%' | head -15
        echo "== perf profile of (c2) recovery sessions on the folder"
        perf record -q -g -o "$dir/perf.c2" "$bin" sessions "$dir/export" --format csv --quiet > /dev/null 2>&1 || true
        perf report -i "$dir/perf.c2" --stdio --no-children --percent-limit 2 2> /dev/null | grep -E '^ +[0-9.]+%' | head -20
    elif command -v valgrind > /dev/null; then
        echo "== callgrind profile of recovery sessions on 20 files"
        small="$dir/small"; rm -rf "$small"; mkdir -p "$small"
        find "$dir/export" -name '*.fit' | sort | head -20 | xargs -I{} cp {} "$small/"
        valgrind --tool=callgrind --callgrind-out-file="$dir/callgrind.out" "$bin" sessions "$small" --quiet > /dev/null 2>&1 || true
        callgrind_annotate "$dir/callgrind.out" 2> /dev/null | head -30
    else
        echo "no perf or valgrind: no profile"
    fi
fi
