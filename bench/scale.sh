#!/usr/bin/env bash
# scale.sh - one tsw manager against thousands of HOLLOW engines (issue 13).
# Hollow engines (bench/hollow) are a SIMULATION: one Node process answering the
# Engine API from memory on 127.x loopback addresses. They measure the manager's
# own costs (store, loops, API, engine calls) at sizes no lab has; they say nothing
# of real engines, where container starts dominate (see "Speed, measured").
#
# For each size, bench/scale.mjs forms a swarm through the real join path
# (swarm init + tsw node add), creates SERVICES services of TASKS tasks in all,
# and prints a table: time to all Running, tasks placed/s, manager RSS and CPU
# (peak converging, idle), tsw node ls / service ls / service ps median and p99
# (converging, idle), 10% of the nodes killed → their tasks Running elsewhere,
# one service update --image of a 1,000-task service.
#
#   bash bench/scale.sh                      # small: 100 nodes, 100 services, 3,000 tasks (a couple of minutes)
#   SIZES="1000:1000:30000 5000:1000:150000" STORES="sqlite etcd" bash bench/scale.sh
#   env: SIZES="NODES:SERVICES:TASKS ..."  STORES="sqlite|etcd ..."  BASE=21 (127.BASE.x.y)
#        PORT=23771 (manager)  HEARTBEAT=5s  START_MS=50 (hollow start latency)  UPDATE_TASKS=1000
#        EXTRA="--skip-kill ..." (more scale.mjs flags)  LOGDIR=dir (keeps each manager's log)
# Binds only 127.x addresses; needs no lab (do not run it under the lab lock). etcd
# (Debian's etcd-server) is started on 127.BASE.255.2:2379 for the etcd runs.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-100:100:3000}
STORES=${STORES:-sqlite}
BASE=${BASE:-21}
PORT=${PORT:-23771}
HEARTBEAT=${HEARTBEAT:-5s}
START_MS=${START_MS:-50}
UPDATE_TASKS=${UPDATE_TASKS:-1000}
ETCD_ADDR=127.$BASE.255.2
# Each hollow engine holds a listener and a few connections; so does the manager.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
[ -f dist/tsw.cjs ] || npm run build >/dev/null

etcd_pid=
stop_etcd() { [ -n "$etcd_pid" ] && kill "$etcd_pid" 2>/dev/null; wait "$etcd_pid" 2>/dev/null || true; etcd_pid=; rm -rf "${etcd_dir:-/nonexistent}"; }
start_etcd() {
  command -v etcd >/dev/null || { echo "etcd is not installed (apt-get install etcd-server)" >&2; exit 1; }
  etcd_dir=$(mktemp -d)
  etcd --name scale --data-dir "$etcd_dir/data" --listen-client-urls "http://$ETCD_ADDR:2379" \
    --advertise-client-urls "http://$ETCD_ADDR:2379" --listen-peer-urls "http://$ETCD_ADDR:2380" \
    --initial-advertise-peer-urls "http://$ETCD_ADDR:2380" --initial-cluster "scale=http://$ETCD_ADDR:2380" \
    --quota-backend-bytes 8589934592 >"$etcd_dir/etcd.log" 2>&1 &
  etcd_pid=$!
  for _ in $(seq 1 50); do
    curl -fsS "http://$ETCD_ADDR:2379/health" >/dev/null 2>&1 && return
    sleep 0.2
  done
  echo "etcd did not start:" >&2; tail -5 "$etcd_dir/etcd.log" >&2; exit 1
}
trap stop_etcd EXIT

echo "# tsw scale (hollow engines, simulated): $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
for store in $STORES; do
  for size in $SIZES; do
    IFS=: read -r nodes services tasks <<<"$size"
    arg=sqlite
    if [ "$store" = etcd ]; then start_etcd; arg="etcd://$ETCD_ADDR:2379"; fi
    log=${LOGDIR:+$LOGDIR/manager-$store-$nodes-$tasks.log}
    SCALE_LOG=$log node bench/scale.mjs --nodes "$nodes" --services "$services" --tasks "$tasks" --store "$arg" \
      --base "$BASE" --port "$PORT" --heartbeat "$HEARTBEAT" --start-ms "$START_MS" --update-tasks "$UPDATE_TASKS" ${EXTRA:-} || echo "(run $store $size failed)"
    [ "$store" = etcd ] && stop_etcd
  done
done
