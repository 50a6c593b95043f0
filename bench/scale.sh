#!/usr/bin/env bash
# Ferry at scale: one file->file job over --objects small files (1,000,000 by default) through local
# mode, each service's heap capped (a transfer worker in 256 MB), beside rclone sync of the same tree;
# the time to first byte, objects/s, heap and RSS peaks, state on disk, a second job on the warm services,
# no-op / 1%-changed re-syncs, and the CPU each run spent.
#   bench/scale.sh [--objects 1000000] [--size 1KiB] [--transfers 2] [--concurrency 8]
#                  [--transfer-heap 256m] [--scanner-heap 512m] [--verifier-heap 512m] [--data-dir DIR] [--no-warm-run]
set -euo pipefail
home="$(cd "$(dirname "$0")/.." && pwd)"
if ! command -v rclone >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get install -y -qq rclone >/dev/null || { apt-get update -qq && apt-get install -y -qq rclone >/dev/null; }
  else
    echo "rclone not found and not root: its rows will be skipped" >&2
  fi
fi
"$home/ferry" --version >/dev/null
exec java -Dferry.home="$home" -cp "$home/bench/target/classes:$home/bench/target/lib/*" io.ferry.bench.Scale "$@"
