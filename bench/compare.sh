#!/usr/bin/env bash
# compare.sh - the same scenarios, timed with the docker CLI alone (swarm-bench.sh),
# against Docker's own swarm mode and against tsw, on the same 3-engine lab.
# Prints a table: figure, swarm mode, tsw, tsw/swarm (medians of RUNS runs, seconds).
#   env: RUNS=3  SCENARIOS=bcdefg (see swarm-bench.sh)  KEEP=1 keeps tsw's swarm up
# Run as root from the repository (it starts the lab: test/lab/lab.sh up 3).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}; SCEN=${SCENARIOS:-bcdefg}
LAB="bash $PWD/test/lab/lab.sh"
E=(tcp://10.213.0.11:2375 tcp://10.213.0.12:2375 tcp://10.213.0.13:2375)
OUT=$(mktemp -d)
[ -f dist/tsw.cjs ] || npm run build >/dev/null
$LAB up 3 >/dev/null
for h in "${E[@]}"; do docker -H "$h" swarm leave --force >/dev/null 2>&1 || true; done

echo "bench: swarm mode (RUNS=$RUNS SCENARIOS=$SCEN)" >&2
RUNS=$RUNS SCENARIOS=a$SCEN KILL_CMD="$LAB kill-engine 3" START_CMD="$LAB start-engine 3" \
  bash bench/swarm-bench.sh "${E[@]}" >"$OUT/swarm.txt"

echo "bench: tsw" >&2
D=$OUT/tsw; tsw() { TSW_DATA_DIR=$D/$1 node "$PWD/bin/run.js" "${@:2}"; }
tsw node01 swarm init --engine "${E[0]}" --advertise-addr 10.213.0.1 --listen-addr 10.213.0.1:2377 >/dev/null
tok=$(tsw node01 swarm join-token -q worker)
tsw node02 swarm join --token "$tok" --engine "${E[1]}" 10.213.0.1:2377 >/dev/null
tsw node03 swarm join --token "$tok" --engine "${E[2]}" 10.213.0.1:2377 >/dev/null
RUNS=$RUNS SCENARIOS=$SCEN ENGINES="${E[*]}" MANAGER_TLS_DIR=$D/node01/tls \
  TSW_CLI="env TSW_DATA_DIR=$D/node01 node $PWD/bin/run.js" \
  KILL_CMD="$LAB kill-engine 3" START_CMD="$LAB start-engine 3" \
  bash bench/swarm-bench.sh tcp://10.213.0.1:2377 >"$OUT/tsw.txt"
if [ "${KEEP:-0}" != 1 ]; then
  tsw node01 swarm leave --force >/dev/null
  for h in "${E[@]}"; do ids=$(docker -H "$h" ps -aq --filter label=io.tsw.cluster.id); [ -z "$ids" ] || docker -H "$h" rm -f $ids >/dev/null; done
fi

awk 'FNR==NR { s[$1]=$2; next } { t[$1]=$2; order[++n]=$1 }
  END {
    printf "%-34s %12s %10s %10s\n", "figure (s)", "swarm mode", "tsw", "tsw/swarm"
    for (i = 1; i <= n; i++) { k = order[i]; if (k ~ /^tasks_/) continue
      r = (s[k] > 0 && t[k] ~ /^[0-9.]+$/) ? sprintf("%.2f", t[k] / s[k]) : "-"
      printf "%-34s %12s %10s %10s\n", k, (k in s) ? s[k] : "-", t[k], r }
  }' "$OUT/swarm.txt" "$OUT/tsw.txt"
echo "raw figures: $OUT" >&2
