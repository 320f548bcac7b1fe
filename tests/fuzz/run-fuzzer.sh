#!/bin/sh
# run-fuzzer.sh FUZZER SEED_CORPUS WORK_CORPUS SECONDS
# Runs a libFuzzer binary for a bounded time from a copy of the seeds; fails
# (exit non-zero) on any crash, leak or sanitizer report.
set -eu
fuzzer=$1 seeds=$2 work=$3 seconds=$4

rm -rf "$work"
mkdir -p "$work"
cp "$seeds"/* "$work"/
exec "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$work/" "$work"
