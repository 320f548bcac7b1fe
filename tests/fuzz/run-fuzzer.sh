#!/bin/sh
# run-fuzzer.sh FUZZER SEED_CORPUS WORK_CORPUS SECONDS
# Runs a libFuzzer binary for a bounded time from a copy of the seeds; fails
# (exit 1) on any crash, leak, timeout or sanitizer report. libFuzzer's own
# codes are 77 and 70, and meson reads 77 as "skipped": a finding would pass
# as a skip.
set -eu
fuzzer=$1 seeds=$2 work=$3 seconds=$4

rm -rf "$work"
mkdir -p "$work"
cp "$seeds"/* "$work"/
exec "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -error_exitcode=1 -timeout_exitcode=1 \
    -artifact_prefix="$work/" "$work"
