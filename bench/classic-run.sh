#!/usr/bin/env bash
# classic-run.sh - classic swarm (issue 6): the wall time of `docker run -d` sent
# through the tsw manager against the same command sent straight to one engine
# (tcp://10.213.0.11:2375), and the same for `docker info`. The docker CLI
# (/usr/local/bin/docker) is timed as a whole, start-up included, so each figure is
# what a user waits for; the ratio is what the manager adds.
# Prints a table: figure, direct, via tsw, tsw/direct (median and p99, ms).
#   env: N=200 runs of each kind   M=50 `docker info` of each kind
#        BATCH=20 (containers removed every BATCH runs)   WARMUP=3 untimed runs first
#        PORT=2397 (the manager's)   KEEP_LOG=1 copies the manager's log to /tmp/classic-run-manager.log
#        IMAGE=10.213.0.1:5000/busybox:1   DOCKER=/usr/local/bin/docker
# How: it starts its own tsw swarm (manager on 10.213.0.1:$PORT, temporary data dir, the
# three lab engines joined) and stops it on exit. Runs alternate direct / via tsw (which
# goes first alternates too), so load from elsewhere falls on both alike. Every container
# runs `sleep 600` with a label of this run; every BATCH runs they are removed, untimed,
# straight on the engines, so neither side gets slower as hundreds of containers pile up
# (the manager lists every engine's containers on each create, an engine keeps each one's
# state): each run meets at most about BATCH of this bench's containers.
# Run as root from the repository, with the lab up (it runs test/lab/lab.sh up 3, a no-op then).
set -euo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C
N=${N:-200}; M=${M:-50}; BATCH=${BATCH:-20}; WARMUP=${WARMUP:-3}; PORT=${PORT:-2397}
IMG=${IMAGE:-10.213.0.1:5000/busybox:1}; DOCKER=${DOCKER:-/usr/local/bin/docker}
E=(tcp://10.213.0.11:2375 tcp://10.213.0.12:2375 tcp://10.213.0.13:2375)
LABEL=io.tsw.bench=classic-run-$$
D=$(mktemp -d /tmp/tsw-classic-run.XXXXXX)
unset DOCKER_HOST DOCKER_TLS_VERIFY DOCKER_CERT_PATH DOCKER_CONTEXT
[ -f dist/tsw.cjs ] || npm run build >/dev/null
bash test/lab/lab.sh up 3 >/dev/null

tsw() { TSW_DATA_DIR=$D/$1 node "$PWD/bin/run.js" "${@:2}"; }
direct() { "$DOCKER" -H "${E[0]}" "$@"; }
viatsw() { DOCKER_HOST=tcp://10.213.0.1:$PORT DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=$D/node01/tls "$DOCKER" "$@"; }
sweep() {   # removes this run's containers from every engine
  local h ids
  for h in "${E[@]}"; do
    ids=$("$DOCKER" -H "$h" ps -aq --filter "label=$LABEL" 2>/dev/null) || continue
    [ -z "$ids" ] || "$DOCKER" -H "$h" rm -f $ids >/dev/null 2>&1 || true
  done
}
cleanup() {
  sweep
  if [ "${KEEP_LOG:-0}" = 1 ] && [ -f "$D/node01/manager/manager.log" ]; then
    cp "$D/node01/manager/manager.log" /tmp/classic-run-manager.log && echo "manager log: /tmp/classic-run-manager.log" >&2
  fi
  [ -f "$D/node01/manager/config.json" ] && { tsw node01 swarm leave --force >/dev/null 2>&1 || true; }
  [ -f "$D/node01/manager/manager.pid" ] && { kill "$(cat "$D/node01/manager/manager.pid")" 2>/dev/null || true; }
  rm -rf "$D"
}
trap cleanup EXIT

echo "bench: tsw swarm on 10.213.0.1:$PORT (data $D)" >&2
tsw node01 swarm init --engine "${E[0]}" --advertise-addr 10.213.0.1 --listen-addr 10.213.0.1:$PORT >/dev/null
tok=$(tsw node01 swarm join-token -q worker)
tsw node02 swarm join --token "$tok" --engine "${E[1]}" 10.213.0.1:$PORT >/dev/null
tsw node03 swarm join --token "$tok" --engine "${E[2]}" 10.213.0.1:$PORT >/dev/null
for _ in $(seq 50); do   # until the three nodes are Ready
  [ "$(viatsw node ls --format '{{.Status}}' 2>/dev/null | grep -c Ready)" = 3 ] && break; sleep 0.2
done

# timed NAME CMD...: runs CMD (output dropped), appends its wall time in µs to $D/NAME; a failure is counted, not timed
timed() {
  local name=$1 t0 t1; shift
  t0=$EPOCHREALTIME
  if "$@" >/dev/null 2>"$D/err"; then
    t1=$EPOCHREALTIME
    echo $(( 10#${t1/./} - 10#${t0/./} )) >>"$D/$name"
  else
    echo "$name: $(head -c 300 "$D/err")" >>"$D/errors"
  fi
}
RUN=(run -d --label "$LABEL" "$IMG" sleep 600)

for _ in $(seq "$WARMUP"); do direct "${RUN[@]}"; viatsw "${RUN[@]}"; direct info; viatsw info; done >/dev/null 2>&1
sweep
echo "bench: $N × docker run -d (direct and via tsw, removed every $BATCH)" >&2
for i in $(seq "$N"); do
  if (( i % 2 )); then timed run_direct direct "${RUN[@]}"; timed run_tsw viatsw "${RUN[@]}"
  else timed run_tsw viatsw "${RUN[@]}"; timed run_direct direct "${RUN[@]}"; fi
  (( i % BATCH )) || sweep
done
sweep
echo "bench: $M × docker info" >&2
for i in $(seq "$M"); do
  if (( i % 2 )); then timed info_direct direct info; timed info_tsw viatsw info
  else timed info_tsw viatsw info; timed info_direct direct info; fi
done

# median and p99 (nearest rank) of a file of µs, in ms
stat() { sort -n "$D/$1" 2>/dev/null | awk -v q="$2" '{ v[NR] = $1 }
  END { if (!NR) { print "-"; exit }
    if (q == 50) m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    else { k = int(NR * q / 100); if (k < NR * q / 100) k++; m = v[k] }
    printf "%.1f\n", m / 1000 }'; }
count() { [ -f "$D/$1" ] && wc -l <"$D/$1" || echo 0; }
printf '%-22s %12s %13s %11s\n' "figure" "direct (ms)" "via tsw (ms)" "tsw/direct"
for row in "run -d median:run:50" "run -d p99:run:99" "info median:info:50" "info p99:info:99"; do
  IFS=: read -r label kind q <<<"$row"
  d=$(stat "${kind}_direct" "$q"); t=$(stat "${kind}_tsw" "$q")
  r=$(awk -v d="$d" -v t="$t" 'BEGIN { if (d > 0 && t ~ /^[0-9.]+$/) printf "%.2f", t / d; else print "-" }')
  printf '%-22s %12s %13s %11s\n' "$label" "$d" "$t" "$r"
done
echo "timed: run -d $(count run_direct) direct, $(count run_tsw) via tsw; info $(count info_direct) direct, $(count info_tsw) via tsw" >&2
if [ -s "$D/errors" ]; then echo "failures ($(wc -l <"$D/errors")):" >&2; sort "$D/errors" | uniq -c | head -5 >&2; fi
