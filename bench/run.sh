#!/usr/bin/env bash
# Ferry's benchmark: file->file through local mode beside rclone on the same data, same run.
#   bench/run.sh [--large-files 4] [--large-size 256MiB] [--small-files 5000] [--transfers 2] [--data-dir DIR]
set -euo pipefail
home="$(cd "$(dirname "$0")/.." && pwd)"
if ! command -v rclone >/dev/null 2>&1; then
  echo "Installing rclone from Debian's packages for the side-by-side figures ..." >&2
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq rclone >/dev/null
  else echo "rclone not found and not root: its figures will be skipped" >&2; fi
fi
exec "$home/ferry" bench "$@"
