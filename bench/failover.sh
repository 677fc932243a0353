#!/usr/bin/env bash
# failover.sh - several managers on etcd (issue 5), on the 3-host lab: an etcd member and
# a tsw manager on each of hosts 1..3 (each manager inside its host's network namespace,
# at 10.213.0.1I:2377), the swarm made with `swarm init --store etcd://…` and two
# `swarm join` with the manager token, a service `bench` of 3 replicas.
#  1. Leader failover, RUNS times: SIGKILL the leader's manager; t0; then, from another
#     manager host's CLI, `tsw service scale --detach bench=N` in a loop until one is
#     accepted (exit 0): t(first accepted write) - t0. The killed manager is started again
#     and the next run waits until it is Reachable. Median and max.
#  2. The same with the leader's host cut off the network (lab.sh cut: its manager, its
#     engine and its etcd member go at once), CUT_RUNS times; healed after each run.
#  3. Write latency through a follower and through the leader: N writes each (POST
#     /nodes/{id}/update of a label, at the version just read), from the lab gateway with
#     the host's client bundle over one kept-alive HTTPS connection; median and p99 of
#     the POST alone; and the same for a read (GET /nodes) for reference.
# Prints a table: figure | value | unit.
#   env: RUNS=10  CUT_RUNS=3  N=200  LEASE=3s (the --leader-lease)  IMAGE=10.213.0.1:5000/busybox:1
# It starts its own etcd cluster (lab.sh etcd 3, which wipes the lab's etcd data) and
# swarm, and on exit stops the managers, removes its containers and stops etcd.
# Run as root from the repository; it runs test/lab/lab.sh up 3 (a no-op when the lab is up).
set -euo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C
RUNS=${RUNS:-10}; CUT_RUNS=${CUT_RUNS:-3}; N=${N:-200}; LEASE=${LEASE:-3s}
IMG=${IMAGE:-10.213.0.1:5000/busybox:1}
ETCD=etcd://10.213.0.11:2379,10.213.0.12:2379,10.213.0.13:2379
D=$(mktemp -d /tmp/tsw-failover.XXXXXX)
unset DOCKER_HOST DOCKER_TLS_VERIFY DOCKER_CERT_PATH DOCKER_CONTEXT TSW_HOST
[ -f dist/tsw.cjs ] || npm run build >/dev/null
bash test/lab/lab.sh up 3 >/dev/null
bash test/lab/lab.sh etcd 3 >/dev/null 2>&1

ip() { echo "10.213.0.1$1"; }
tsw() { TSW_DATA_DIR=$D/n$1 node "$PWD/bin/run.js" "${@:2}"; }
# tsw run inside host i's network namespace (a manager it starts lives there)
tsw_in() { TSW_DATA_DIR=$D/n$1 nsenter --net=/var/run/netns/tswn$1 node "$PWD/bin/run.js" "${@:2}"; }
ms() { echo $(( $(date +%s%N) / 1000000 )); }
pid_of() { cat "$D/n$1/manager/manager.pid" 2>/dev/null || true; }
leader() { tsw "$1" node ls --format '{{.Hostname}} {{.ManagerStatus}}' 2>/dev/null | awk '$2 == "Leader" { print substr($1, 6) }'; }
status_of() { tsw "$1" node ls --format '{{.Hostname}} {{.ManagerStatus}}' 2>/dev/null | awk -v h="node0$2" '$1 == h { print $2 }'; }
wait_for() { local what=$1 t=$2; shift 2; local end=$(( $(ms) + t * 1000 )); until "$@"; do
  [ "$(ms)" -lt "$end" ] || { echo "bench: timed out waiting for $what" >&2; return 1; }; sleep 0.1; done; }
reachable() { [ "$(status_of "$1" "$2")" = Reachable ]; }
has_leader() { [ -n "$(leader "$1")" ]; }
stats() { sort -n | awk '{ a[NR] = $1 } END { if (NR == 0) { print "- -"; exit } m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; print m, a[NR] }'; }

cleanup() {
  set +e
  for i in 1 2 3; do p=$(pid_of $i); [ -n "$p" ] && kill -9 "$p" 2>/dev/null; done
  bash test/lab/lab.sh heal 1 >/dev/null 2>&1; bash test/lab/lab.sh heal 2 >/dev/null 2>&1; bash test/lab/lab.sh heal 3 >/dev/null 2>&1
  if [ -f "$D/n1/context.json" ]; then
    cid=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).ClusterID)' "$D/n1/context.json")
    for i in 1 2 3; do ids=$(docker -H "tcp://$(ip $i):2375" ps -aq --filter "label=io.tsw.cluster.id=$cid"); [ -n "$ids" ] && docker -H "tcp://$(ip $i):2375" rm -f $ids >/dev/null; done
  fi
  bash test/lab/lab.sh etcd-stop >/dev/null 2>&1
  rm -rf "$D"
}
trap cleanup EXIT

tsw_in 1 swarm init --engine tcp://$(ip 1):2375 --advertise-addr "$(ip 1)" --listen-addr "$(ip 1):2377" --store "$ETCD" --leader-lease "$LEASE" >/dev/null
MT=$(tsw 1 swarm join-token -q manager)
for i in 2 3; do tsw_in $i swarm join --token "$MT" --engine tcp://$(ip $i):2375 --advertise-addr "$(ip $i)" --listen-addr "$(ip $i):2377" "$(ip 1):2377" >/dev/null; done
tsw 1 service create --name bench --replicas 3 --stop-grace-period 1s "$IMG" sleep 1d >/dev/null

# One failover: $1 = kill | cut. Prints the ms from the fault to the first accepted write.
failover() {
  local L O t0 n=$((RANDOM % 3 + 3))
  L=$(leader 1); [ -n "$L" ] || L=$(leader 2)
  O=$(( L % 3 + 1 ))
  if [ "$1" = kill ]; then kill -9 "$(pid_of "$L")"; else bash test/lab/lab.sh cut "$L"; fi
  t0=$(ms)
  until tsw "$O" service scale --detach "bench=$n" >/dev/null 2>&1; do
    [ $(( $(ms) - t0 )) -lt 60000 ] || { echo "bench: no write accepted in 60 s" >&2; exit 1; }
  done
  echo $(( $(ms) - t0 ))
  if [ "$1" = kill ]; then tsw_in "$L" manager -d >/dev/null; else bash test/lab/lab.sh heal "$L"; fi
  wait_for "node0$L reachable again" 60 reachable "$O" "$L"
  wait_for "a leader" 30 has_leader "$O"
}

: >"$D/kill.txt"; : >"$D/cut.txt"
for _ in $(seq "$RUNS"); do failover kill >>"$D/kill.txt"; done
for _ in $(seq "$CUT_RUNS"); do failover cut >>"$D/cut.txt"; done

# Write latency: node script, one kept-alive connection per target.
L=$(leader 1); F=$(( L % 3 + 1 ))
lat=$(node - "$D" "$L" "$F" "$N" <<'EOF'
const https = require('https'), fs = require('fs')
const [dir, leader, follower, n] = process.argv.slice(2)
const q = (a, p) => { a.sort((x, y) => x - y); return a[Math.min(a.length - 1, Math.floor(p * a.length))] }
async function run(host) {
  const tls = (f) => fs.readFileSync(`${dir}/n${host}/tls/${f}`)
  const agent = new https.Agent({ keepAlive: true, maxSockets: 1, ca: tls('ca.pem'), cert: tls('cert.pem'), key: tls('key.pem') })
  const call = (method, path, body) => new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint()
    const req = https.request({ host: `10.213.0.1${host}`, port: 2377, method, path, agent, checkServerIdentity: () => undefined,
      headers: body ? { 'Content-Type': 'application/json' } : {} }, (res) => {
      let text = ''; res.on('data', (c) => (text += c)); res.on('end', () => {
        if (res.statusCode >= 400) return reject(new Error(`${res.statusCode} ${text}`))
        resolve({ ms: Number(process.hrtime.bigint() - t0) / 1e6, json: text ? JSON.parse(text) : undefined })
      })
    })
    req.on('error', reject); req.end(body ? JSON.stringify(body) : undefined)
  })
  const writes = [], reads = []
  for (let i = 0; i < Number(n); i++) {
    const r = await call('GET', '/v1.41/nodes/node03')
    reads.push(r.ms)
    const node = r.json
    const spec = { ...node.Spec, Labels: { ...node.Spec.Labels, bench: String(i) } }
    writes.push((await call('POST', `/v1.41/nodes/${node.ID}/update?version=${node.Version.Index}`, spec)).ms)
  }
  agent.destroy()
  return [q(writes, 0.5), q(writes, 0.99), q(reads, 0.5), q(reads, 0.99)].map((x) => x.toFixed(2)).join(' ')
}
;(async () => { console.log(await run(follower)); console.log(await run(leader)) })().catch((e) => { console.error(e.message); process.exit(1) })
EOF
)
read -r fw50 fw99 fr50 fr99 <<<"$(echo "$lat" | sed -n 1p)"
read -r lw50 lw99 lr50 lr99 <<<"$(echo "$lat" | sed -n 2p)"
read -r k50 kmax <<<"$(awk '{print $1}' "$D/kill.txt" | stats)"
read -r c50 cmax <<<"$(awk '{print $1}' "$D/cut.txt" | stats)"

printf '%-62s | %9s | %s\n' figure value unit
printf '%-62s | %9s | %s\n' "leader SIGKILLed -> first accepted write, median ($RUNS runs)" "$k50" ms
printf '%-62s | %9s | %s\n' "leader SIGKILLed -> first accepted write, max" "$kmax" ms
printf '%-62s | %9s | %s\n' "leader's host cut off -> first accepted write, median ($CUT_RUNS)" "$c50" ms
printf '%-62s | %9s | %s\n' "leader's host cut off -> first accepted write, max" "$cmax" ms
printf '%-62s | %9s | %s\n' "write through a follower, median ($N)" "$fw50" ms
printf '%-62s | %9s | %s\n' "write through a follower, p99" "$fw99" ms
printf '%-62s | %9s | %s\n' "write through the leader, median ($N)" "$lw50" ms
printf '%-62s | %9s | %s\n' "write through the leader, p99" "$lw99" ms
printf '%-62s | %9s | %s\n' "read (GET /nodes/ID) on a follower / the leader, median" "$fr50 / $lr50" ms
echo "notes: lease $LEASE; writes include the CLI's start-up in (1) and (2), not in (3)."
