#!/usr/bin/env bash
# Ferry's benchmark: file->S3 and S3->file against one local S3 server (S3Proxy), through local mode,
# beside rclone, the AWS CLI and s3cmd on the same data in the same run; file->file beside rclone,
# rsync and cp.
#   bench/run.sh [--large-files 4] [--large-size 1GiB] [--small-files 20000] [--small-size 4KiB]
#                [--transfers 2] [--concurrency 8] [--data-dir DIR]
set -euo pipefail
home="$(cd "$(dirname "$0")/.." && pwd)"
missing=()
command -v rclone >/dev/null 2>&1 || missing+=(rclone)
command -v aws >/dev/null 2>&1 || missing+=(awscli)
command -v s3cmd >/dev/null 2>&1 || missing+=(s3cmd)
command -v rsync >/dev/null 2>&1 || missing+=(rsync)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing ${missing[*]} from Debian's packages for the side-by-side figures ..." >&2
    apt-get install -y -qq "${missing[@]}" >/dev/null || { apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null; }
  else
    echo "${missing[*]} not found and not root: their figures will be skipped" >&2
  fi
fi
# Builds Ferry the way ./ferry does (on first use or when sources changed), then runs the benchmark module.
"$home/ferry" --version >/dev/null
exec java -Dferry.home="$home" -cp "$home/bench/target/classes:$home/bench/target/lib/*" io.ferry.bench.Bench "$@"
