#!/usr/bin/env bash
# The full web bench (`make bench`): SQLite, and PostgreSQL when BENCH_DATABASE_URL is set,
# each at a small scale (4 associations: ~9k bookings) and at seed_bench's default (200
# associations: ~445k bookings; about 21 minutes to seed on a loaded 2-core machine). One
# PostgreSQL database holds one data set: the two scales reseed it in turn (docs/PERFORMANCE.md
# runs bench/run.py on two databases instead). Prints the Markdown tables
# for docs/PERFORMANCE.md. Settings through the environment:
#   BENCH_DATABASE_URL  postgres://user:pass@127.0.0.1:5432/carshare_bench (name must contain "bench")
#   BENCH_SCALES        label:associations pairs, default "small:4 full:200"
#   BENCH_USERS (4), BENCH_DURATION (20 s), BENCH_ROUNDS (3), BENCH_WORKERS (4)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
SCALES=${BENCH_SCALES:-"small:4 full:200"}
COMMON=(--users "${BENCH_USERS:-4}" --duration "${BENCH_DURATION:-20}"
        --rounds "${BENCH_ROUNDS:-3}" --workers "${BENCH_WORKERS:-4}")
databases=(sqlite)
[ -n "${BENCH_DATABASE_URL:-}" ] && databases+=(postgres)
mkdir -p bench/results
results=()
for db in "${databases[@]}"; do
  for scale in $SCALES; do
    label=${scale%%:*}
    associations=${scale##*:}
    out="bench/results/$(date +%Y%m%d-%H%M%S)-$db-$label.json"
    $PY bench/run.py --db "$db" --database-url "${BENCH_DATABASE_URL:-}" --label "$label" \
      --associations "$associations" "${COMMON[@]}" --output "$out" >/dev/null
    results+=("$out")
  done
done
$PY bench/report.py "${results[@]}"
