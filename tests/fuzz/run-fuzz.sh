#!/usr/bin/env bash
# One bounded libFuzzer run of a Carnet fuzz target.
#   run-fuzz.sh FUZZER SECONDS SEED_CORPUS ARTIFACT_DIR [WORK_CORPUS]
# New inputs go to WORK_CORPUS, kept from run to run (build-aux/dev fuzz),
# or to a temporary folder: the committed seed corpus is only read. A crash
# leaves its input in ARTIFACT_DIR and fails the run; to keep it as a
# regression test, copy it to tests/fuzz/crashes/<target>/.
set -euo pipefail

fuzzer=$1 seconds=$2 seeds=$3 artifacts=$4 work=${5:-}

if [ -z "$work" ]; then
  work=$(mktemp -d "${TMPDIR:-/tmp}/carnet-fuzz.XXXXXX")
  trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$artifacts" "$work"

# Leaks checked with whole stacks, slices off: see tests/fuzz/meson.build.
export G_SLICE=always-malloc
export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:intercept_tls_get_addr=0:fast_unwind_on_malloc=0
export LSAN_OPTIONS="suppressions=$(cd "$(dirname "${BASH_SOURCE[0]}")/../sanitizers" && pwd)/lsan.supp"
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

# -timeout: an input taking 10 s is a hang worth reporting. libFuzzer's
# own exit codes (77 on a crash) would read as "skipped" to meson test.
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -error_exitcode=1 -timeout_exitcode=1 \
  -artifact_prefix="$artifacts/" "$work" "$seeds"
