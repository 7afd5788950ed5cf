#!/usr/bin/env bash
# RUSTC_WRAPPER for `cargo afl build` (fuzz/run.sh): cargo-afl instruments every crate with
# codegen-units=1, which makes polars alone take most of an hour on 2 cores. Only the
# crates a reader runs through are worth coverage feedback; every other crate (polars,
# plotters, …) is built as a plain debug build, without instrumentation.
rustc=$1
shift
name=""
prev=""
for a in "$@"; do
    [[ "$prev" == "--crate-name" ]] && name=$a
    prev=$a
done
case "$name" in
    recovery | recovery_fuzz | build_script_build | fitparser | nom | quick_xml | zip | flate2 | \
        miniz_oxide | zlib_rs | csv | csv_core | toml | toml_parser | toml_datetime | \
        serde_spanned | winnow | crc | chrono | chrono_tz | memchr | afl | fit | xml | journal | \
        config | seeds)
        exec "$rustc" "$@"
        ;;
esac
args=()
skip=0
for a in "$@"; do
    if ((skip)); then
        skip=0
        case "$a" in
            codegen-units=* | passes=sancov* | llvm-args=-sanitizer-coverage* | opt-level=*) continue ;;
            *) args+=(-C "$a") ;;
        esac
        continue
    fi
    if [[ "$a" == "-C" ]]; then
        skip=1
        continue
    fi
    args+=("$a")
done
exec "$rustc" "${args[@]}" -C opt-level=0
