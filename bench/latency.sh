#!/usr/bin/env bash
# Write-to-Verified latency, event-triggered and polled, through local mode (file to file):
#   bench/latency.sh [--objects 30] [--interval PT1S] [--scan-interval 10s] [--data-dir DIR]
set -euo pipefail
home="$(cd "$(dirname "$0")/.." && pwd)"
# Builds Ferry the way ./ferry does (on first use or when sources changed), then runs the benchmark module.
"$home/ferry" --version >/dev/null
exec java -Dferry.home="$home" -cp "$home/bench/target/classes:$home/bench/target/lib/*" io.ferry.bench.Latency "$@"
