#!/usr/bin/env bash
# swarm-failover.sh - the peer figure for bench/failover.sh: Docker's own swarm mode with
# three managers (the lab's three engines: swarm init on node01, the others join with the
# manager token), a service `bench` of 3 replicas. RUNS times: SIGKILL the leader's dockerd
# (lab.sh kill-engine: the engine is the swarm manager there); t0; then, from another
# manager, `docker service scale --detach bench=N` in a loop until one is accepted:
# t(first accepted write) - t0. The engine is started again and rejoins by itself; the next
# run waits until it is Reachable. Median and max, then the swarm is taken apart.
#   env: RUNS=5  IMAGE=10.213.0.1:5000/busybox:1
# Run as root from the repository; it runs test/lab/lab.sh up 3 (a no-op when the lab is up).
set -euo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C
RUNS=${RUNS:-5}; IMG=${IMAGE:-10.213.0.1:5000/busybox:1}
unset DOCKER_HOST DOCKER_TLS_VERIFY DOCKER_CERT_PATH DOCKER_CONTEXT
bash test/lab/lab.sh up 3 >/dev/null
ip() { echo "10.213.0.1$1"; }
dk() { local i=$1; shift; docker -H "tcp://$(ip "$i"):2375" "$@"; }
ms() { echo $(( $(date +%s%N) / 1000000 )); }
leader() { dk "$1" node ls --format '{{.Hostname}} {{.ManagerStatus}}' 2>/dev/null | awk '$2 == "Leader" { print substr($1, 6) }'; }
status_of() { dk "$1" node ls --format '{{.Hostname}} {{.ManagerStatus}}' 2>/dev/null | awk -v h="node0$2" '$1 == h { print $2 }'; }
cleanup() {
  set +e
  for i in 3 2 1; do bash test/lab/lab.sh start-engine "$i" >/dev/null 2>&1; dk "$i" swarm leave --force >/dev/null 2>&1; done
}
trap cleanup EXIT
for i in 1 2 3; do dk "$i" swarm leave --force >/dev/null 2>&1 || true; done
dk 1 swarm init --advertise-addr "$(ip 1)" >/dev/null
MT=$(dk 1 swarm join-token -q manager)
for i in 2 3; do dk "$i" swarm join --token "$MT" --advertise-addr "$(ip "$i")" "$(ip 1):2377" >/dev/null; done
dk 1 service create --detach --name bench --replicas 3 --stop-grace-period 1s "$IMG" sleep 1d >/dev/null

: >/tmp/swarm-failover.txt
for _ in $(seq "$RUNS"); do
  L=$(leader 1); [ -n "$L" ] || L=$(leader 2); O=$(( L % 3 + 1 ))
  bash test/lab/lab.sh kill-engine "$L" >/dev/null
  t0=$(ms)
  until dk "$O" service scale --detach "bench=$((RANDOM % 3 + 3))" >/dev/null 2>&1; do
    [ $(( $(ms) - t0 )) -lt 90000 ] || { echo "bench: no write accepted in 90 s" >&2; exit 1; }
    sleep 0.1
  done
  echo $(( $(ms) - t0 )) >>/tmp/swarm-failover.txt
  bash test/lab/lab.sh start-engine "$L" >/dev/null
  end=$(( $(ms) + 90000 ))
  until [ "$(status_of "$O" "$L")" = Reachable ] && [ -n "$(leader "$O")" ]; do
    [ "$(ms)" -lt "$end" ] || { echo "bench: node0$L not reachable again" >&2; exit 1; }; sleep 0.5
  done
done
read -r med max <<<"$(sort -n /tmp/swarm-failover.txt | awk '{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; print m, a[NR] }')"
printf '%-62s | %9s | %s\n' figure value unit
printf '%-62s | %9s | %s\n' "swarm mode: leader's dockerd SIGKILLed -> first accepted write, median ($RUNS)" "$med" ms
printf '%-62s | %9s | %s\n' "swarm mode: ... max" "$max" ms
