#!/usr/bin/env bash
# A transfer worker's storage path over small files, file store to file store, in one process: CPU per
# file without Kafka or services in the way (see StoragePath's Javadoc). The source is any directory of
# files, e.g. a scale run's set:
#   bench/storage-path.sh --source /tmp/scale100k/data/source --destination /tmp/storage-path-out [--warm 10000] [--files 30000] [--threads 8]
set -euo pipefail
home="$(cd "$(dirname "$0")/.." && pwd)"
"$home/ferry" --version >/dev/null
exec java -Xmx256m -cp "$home/bench/target/classes:$home/bench/target/lib/*" io.ferry.bench.StoragePath "$@"
