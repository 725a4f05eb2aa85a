#!/usr/bin/env bash
# Runs the `parse` fuzz target with cargo-fuzz on the stable toolchain.
#
#   fuzz/run.sh [extra libFuzzer args...]      e.g. fuzz/run.sh -max_total_time=600
#
# cargo-fuzz passes nightly-only flags (-Zsanitizer=address, ...) to rustc;
# RUSTC_BOOTSTRAP=1 lets the stable compiler accept them. Install the tool once
# with `cargo install cargo-fuzz`. The corpus (fuzz/corpus/parse) is seeded from
# the golden snippets and CPython's stdlib by fuzz/seed_corpus.sh on first run.
# Crashes land in fuzz/artifacts/parse/; reproduce one with
#   RUSTC_BOOTSTRAP=1 cargo fuzz run parse fuzz/artifacts/parse/crash-...
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d fuzz/corpus/parse ] || [ -z "$(ls -A fuzz/corpus/parse)" ]; then
    fuzz/seed_corpus.sh
fi
export RUSTC_BOOTSTRAP=1
exec cargo fuzz run parse fuzz/corpus/parse -- -max_len=65536 -timeout=10 -dict=fuzz/python.dict "$@"
