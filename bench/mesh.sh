#!/usr/bin/env bash
# mesh.sh - overlay networks and the routing mesh (issue 4), on the 3-engine lab:
#  1. HTTP through the routing mesh against the same server without it: a service `mesh`
#     (3 replicas of busybox httpd, one per node, -p 8000:80, on an overlay network) reached
#     at node01:8000, against a service `direct` (the same server, pinned to node01,
#     --publish mode=host,published=8100) reached at node01:8100. Same client, the lab
#     gateway (10.213.0.1, the root namespace), same load: a small Node client (inline
#     below; no ab/wrk/hey here) with keep-alive OFF (a new TCP connection per request:
#     the mesh's cost is per connection), CONC connections at a time for DUR seconds each;
#     requests/s, median and p99 latency (connect → last byte).
#  2. Connection setup: a service `client` (pinned to node01, on the overlay) polls
#     `nc -w 1 fresh 80` by name from inside its container; at t0 `tsw service create -d
#     --name fresh --network ... httpd` (pinned to node02: across the VXLAN); t(answer) − t0
#     over RUNS runs (the service removed between runs, its container gone before the next),
#     and where the time goes: t0 → container started (engine's StartedAt), t0 → task
#     `running` in the manager (what `service ps` shows), running → answering by name.
# Prints a table: figure | value | unit, then notes.
#   env: DUR=10 (s per load run)  CONC=8  ROUNDS=1 (load runs of each, alternated)  WARM=2 (s)
#        RUNS=5 (setup runs)  PORT=2377 (the manager's)  IMAGE=10.213.0.1:5000/busybox:1
#        KEEP_LOG=1 copies the manager's log to /tmp/mesh-manager.log
# How: it starts its own tsw swarm (manager on 10.213.0.1:$PORT, temporary data dir, the
# three lab engines joined) and on exit stops it, removes its containers and what its
# networks left on the hosts (helper containers, engine networks, tswvx* VXLAN devices,
# TSW-* iptables chains: as test/helpers/lab.ts removeNetworkPieces).
# Run as root from the repository; it runs test/lab/lab.sh up 3 (a no-op when the lab is up).
set -euo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C
DUR=${DUR:-10}; CONC=${CONC:-8}; ROUNDS=${ROUNDS:-1}; WARM=${WARM:-2}; RUNS=${RUNS:-5}; PORT=${PORT:-2377}
IMG=${IMAGE:-10.213.0.1:5000/busybox:1}
E=(tcp://10.213.0.11:2375 tcp://10.213.0.12:2375 tcp://10.213.0.13:2375)
N1=10.213.0.11; NET=benchnet
WEB=(sh -c 'mkdir -p /www; hostname > /www/index.html; exec httpd -f -p 80 -h /www')
D=$(mktemp -d /tmp/tsw-mesh.XXXXXX)
CID=   # the swarm's cluster ID, once made
unset DOCKER_HOST DOCKER_TLS_VERIFY DOCKER_CERT_PATH DOCKER_CONTEXT
[ -f dist/tsw.cjs ] || npm run build >/dev/null
bash test/lab/lab.sh up 3 >/dev/null

tsw() { TSW_DATA_DIR=$D/$1 node "$PWD/bin/run.js" "${@:2}"; }
dk() { local i=$1; shift; docker -H "${E[$((i - 1))]}" "$@"; }
svc() { tsw node01 service create -d --stop-grace-period 1s "$@" >/dev/null; }
api() { curl -sf --cacert "$D/node01/tls/ca.pem" --cert "$D/node01/tls/cert.pem" --key "$D/node01/tls/key.pem" "https://10.213.0.1:$PORT$1"; }
# running containers of a service on lab host i (-a: any state)
ctrs() { dk "$1" ps -q ${3:-} --filter "label=io.tsw.cluster.id=$CID" --filter "label=com.docker.swarm.service.name=$2"; }
# waits (up to $3 s) until a command succeeds
until_ok() { local what=$1 t=$2; shift 2; for _ in $(seq $((t * 5))); do "$@" >/dev/null 2>&1 && return; sleep 0.2; done
  echo "bench: timed out waiting for $what" >&2; return 1; }
get() { printf 'GET / HTTP/1.0\r\n\r\n' | timeout 3 busybox nc -w 2 "$1" "$2" 2>/dev/null | tail -1; }

cleanup() {
  set +e
  if [ "${KEEP_LOG:-0}" = 1 ] && [ -f "$D/node01/manager/manager.log" ]; then
    cp "$D/node01/manager/manager.log" /tmp/mesh-manager.log && echo "manager log: /tmp/mesh-manager.log" >&2
  fi
  [ -f "$D/node01/manager/config.json" ] && tsw node01 swarm leave --force >/dev/null 2>&1
  [ -f "$D/node01/manager/manager.pid" ] && kill "$(cat "$D/node01/manager/manager.pid")" 2>/dev/null
  if [ -n "$CID" ]; then
    local i ids n
    for i in 1 2 3; do
      ids=$(dk $i ps -aq --filter "label=io.tsw.cluster.id=$CID"; dk $i ps -aq --filter "label=io.tsw.network.helper=$CID")
      [ -z "$ids" ] || dk $i rm -f $ids >/dev/null 2>&1
      for n in $(dk $i network ls -q --filter "label=io.tsw.network.cluster=$CID"); do dk $i network rm "$n" >/dev/null 2>&1; done
      nsenter --net=/var/run/netns/tswn$i sh -c '
        for d in $(ip -o link show type vxlan | awk -F": " "{print \$2}" | cut -d@ -f1 | grep "^tswvx"); do ip link del $d; done
        for c in PREROUTING:TSW-PRE OUTPUT:TSW-OUT POSTROUTING:TSW-POST; do iptables -t nat -D ${c%%:*} -j ${c#*:} 2>/dev/null; iptables -t nat -F ${c#*:} 2>/dev/null; iptables -t nat -X ${c#*:} 2>/dev/null; done
        for c in DOCKER-USER FORWARD; do iptables -D $c -j TSW-FWD 2>/dev/null; done; iptables -F TSW-FWD 2>/dev/null; iptables -X TSW-FWD 2>/dev/null
        iptables -D OUTPUT -j TSW-OUTPUT 2>/dev/null; iptables -F TSW-OUTPUT 2>/dev/null; iptables -X TSW-OUTPUT 2>/dev/null; true'
    done
  fi
  rm -rf "$D"
}
trap cleanup EXIT

# The load client: node load.js HOST PORT SECONDS CONCURRENCY → one JSON line.
# A new connection per request (HTTP/1.0, no keep-alive); latency = connect() → close.
cat >"$D/load.js" <<'EOF'
const net = require('node:net')
const [host, port, secs, conc] = [process.argv[2], +process.argv[3], +process.argv[4], +process.argv[5]]
const lat = [], by = {}
let errors = 0, active = 0
const start = performance.now(), stop = start + secs * 1000
function one() {
  if (performance.now() >= stop) { if (--active === 0) done(); return }
  const t0 = performance.now()
  let buf = '', failed = false
  const s = net.connect({ host, port })
  s.setTimeout(5000, () => { failed = true; s.destroy() })
  s.on('connect', () => s.end('GET / HTTP/1.0\r\n\r\n'))
  s.on('data', (d) => { buf += d })
  s.on('error', () => { failed = true })
  s.on('close', () => {
    if (!failed && /^HTTP\/1\.[01] 200 /.test(buf)) {
      const ms = performance.now() - t0, who = buf.slice(buf.indexOf('\r\n\r\n') + 4).trim()
      lat.push(ms); (by[who] ??= []).push(ms)
    } else errors++
    setImmediate(one)
  })
}
function q(a, p) { if (!a.length) return null; a.sort((x, y) => x - y); return a[Math.min(a.length, Math.ceil(a.length * p)) - 1] }
function done() {
  const secs = (performance.now() - start) / 1000
  console.log(JSON.stringify({ ok: lat.length, errors, secs, rps: lat.length / secs, median: q(lat, 0.5), p99: q(lat, 0.99), lat, by }))
}
for (let i = 0; i < conc; i++) { active++; one() }
EOF

echo "bench: tsw swarm on 10.213.0.1:$PORT (data $D)" >&2
tsw node01 swarm init --engine "${E[0]}" --advertise-addr 10.213.0.1 --listen-addr 10.213.0.1:$PORT >/dev/null
CID=$(jq -r .ClusterID "$D/node01/context.json")
tok=$(tsw node01 swarm join-token -q worker)
tsw node02 swarm join --token "$tok" --engine "${E[1]}" 10.213.0.1:$PORT >/dev/null
tsw node03 swarm join --token "$tok" --engine "${E[2]}" 10.213.0.1:$PORT >/dev/null
ready3() { [ "$(api /v1.41/nodes | jq '[.[] | select(.Status.State == "ready")] | length')" = 3 ]; }
until_ok "3 nodes Ready" 20 ready3
tsw node01 network create -d overlay $NET >/dev/null

echo "bench: services mesh (3 replicas, -p 8000:80) and direct (node01, host mode 8100)" >&2
svc --name mesh --replicas 3 --network $NET -p 8000:80 "$IMG" "${WEB[@]}"
svc --name direct --network $NET --constraint node.hostname==node01 \
  --publish mode=host,target=80,published=8100 "$IMG" "${WEB[@]}"
mesh_spread() { [ "$(ctrs 1 mesh | wc -l),$(ctrs 2 mesh | wc -l),$(ctrs 3 mesh | wc -l)" = 1,1,1 ]; }
until_ok "mesh on every node" 60 mesh_spread
has() { [ -n "$(ctrs "$1" "$2")" ]; }
until_ok "direct running" 60 has 1 direct
declare -A NODE_OF   # container hostname (short ID) → node
for i in 1 2 3; do for c in $(ctrs $i mesh); do NODE_OF[${c:0:12}]=node0$i; done; done
mesh_all() { local s=" " a; for _ in $(seq 30); do a=$(get $N1 8000); [ -n "$a" ] && s+="$a "; done
  for c in "${!NODE_OF[@]}"; do [[ $s == *" $c "* ]] || return 1; done; }
until_ok "the 3 mesh tasks answering on $N1:8000" 60 mesh_all
answers() { [ -n "$(get "$1" "$2")" ]; }
until_ok "direct answering on $N1:8100" 30 answers $N1 8100

load() { node "$D/load.js" $N1 "$3" "$DUR" "$CONC" >"$D/$1.$2.json"; }   # load NAME ROUND PORT → $D/NAME.ROUND.json
echo "bench: load, $CONC connections, ${DUR}s each, $ROUNDS round(s) (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
node "$D/load.js" $N1 8000 "$WARM" "$CONC" >/dev/null; node "$D/load.js" $N1 8100 "$WARM" "$CONC" >/dev/null
for r in $(seq "$ROUNDS"); do
  if (( r % 2 )); then load mesh "$r" 8000; load direct "$r" 8100; else load direct "$r" 8100; load mesh "$r" 8000; fi
done
LOAD_AVG=$(cut -d' ' -f1-3 /proc/loadavg)
# merges the runs of a kind: ok errors rps median p99, and per-task medians
merge() { node -e '
  const fs = require("fs"), runs = process.argv.slice(1).map((f) => JSON.parse(fs.readFileSync(f, "utf8")))
  const q = (a, p) => a.sort((x, y) => x - y)[Math.min(a.length, Math.ceil(a.length * p)) - 1], lat = runs.flatMap((r) => r.lat)
  const ok = runs.reduce((a, r) => a + r.ok, 0), err = runs.reduce((a, r) => a + r.errors, 0), secs = runs.reduce((a, r) => a + r.secs, 0)
  const per = {}; for (const r of runs) for (const [k, v] of Object.entries(r.by)) (per[k] ??= []).push(...v)
  const perTxt = Object.entries(per).map(([k, v]) => k + ":" + v.length + "@" + q(v, 0.5).toFixed(2)).join(",")
  console.log(ok, err, (ok / secs).toFixed(0), q(lat, 0.5).toFixed(2), q(lat, 0.99).toFixed(2), perTxt)' "$D"/"$1".*.json; }
read -r m_ok m_err m_rps m_med m_p99 m_per < <(merge mesh)
read -r d_ok d_err d_rps d_med d_p99 _ < <(merge direct)

echo "bench: connection setup, $RUNS runs (client on node01, fresh on node02)" >&2
svc --name client --network $NET --constraint node.hostname==node01 "$IMG" sleep 1d
until_ok "client running" 60 has 1 client
CLIENT=$(ctrs 1 client | head -1)
# Inside the client: say "polling", then try `fresh` by name every 20 ms until an HTTP answer;
# print the tries and /proc/uptime then (the kernel's clock, shared with the gateway). Gives up after 90 s.
POLL='echo polling; n=0; s=$(cut -d. -f1 /proc/uptime)
  until printf "GET / HTTP/1.0\r\n\r\n" | nc -w 1 fresh 80 2>/dev/null | grep -q "^HTTP/1"; do
    n=$((n + 1)); [ $(( $(cut -d. -f1 /proc/uptime) - s )) -lt 90 ] || { echo "gave up after $n tries"; exit 1; }; usleep 20000
  done; echo "$n $(cut -d" " -f1 /proc/uptime)"'
gone() { [ -z "$(ctrs "$1" "$2" -a)" ]; }
epoch() { date -d "$1" +%s.%N; }
for r in $(seq "$RUNS"); do
  out=$D/poll.$r
  dk 1 exec "$CLIENT" sh -c "$POLL" >"$out" 2>&1 &
  pp=$!
  until_ok "the poller to start" 20 grep -q polling "$out"
  sleep 0.3
  t0=$EPOCHREALTIME; read -r u0 _ </proc/uptime
  svc --name fresh --network $NET --constraint node.hostname==node02 "$IMG" "${WEB[@]}"
  t_cli=$EPOCHREALTIME
  if ! wait $pp; then
    echo "run $r: $(tail -1 "$out")" | tee -a "$D/errors" >&2
    tsw node01 service rm fresh >/dev/null; until_ok "fresh's container gone" 60 gone 2 fresh; continue
  fi
  read -r tries u1 < <(tail -1 "$out")
  [ "$tries" != 0 ] || echo "run $r: answered at the first try (a stale name?)" | tee -a "$D/errors" >&2
  task=$(api "/v1.41/tasks?filters=$(jq -rn '{service: ["fresh"]} | tojson | @uri')" | jq -r '[.[] | select(.Status.State == "running")][0]')
  c=$(ctrs 2 fresh | head -1)
  started=$(epoch "$(dk 2 inspect -f '{{.State.StartedAt}}' "$c")")
  running=$(epoch "$(jq -r .Status.Timestamp <<<"$task")")
  awk -v t0="$t0" -v cli="$t_cli" -v u0="$u0" -v u1="$u1" -v st="$started" -v ru="$running" -v n="$tries" 'BEGIN {
    a = u1 - u0; printf "%.2f %.2f %.2f %.2f %.2f %d\n", a, st - t0, ru - t0, t0 + a - ru, cli - t0, n }' >>"$D/setup"
  echo "bench: run $r: answer, started, running, running→answer, create CLI, tries: $(tail -1 "$D/setup")" >&2
  tsw node01 service rm fresh >/dev/null
  until_ok "fresh's container gone" 60 gone 2 fresh
  sleep 1
done

# median / max of column k of $D/setup
col() { awk -v k="$1" '{ print $k }' "$D/setup" | sort -n | awk -v w="$2" '{ v[NR] = $1 }
  END { if (!NR) { print "-"; exit } if (w == "max") { print v[NR]; exit }
    printf "%.2f\n", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
row() { printf '%-52s %10s  %s\n' "$1" "$2" "$3"; }
echo
row "figure" "value" "unit"
row "mesh $N1:8000, requests/s" "$m_rps" "req/s"
row "mesh, latency median" "$m_med" "ms"
row "mesh, latency p99" "$m_p99" "ms"
row "host mode $N1:8100, requests/s" "$d_rps" "req/s"
row "host mode, latency median" "$d_med" "ms"
row "host mode, latency p99" "$d_p99" "ms"
row "new task reachable by name (t0 → answer), median" "$(col 1 med)" "s"
row "new task reachable by name (t0 → answer), max" "$(col 1 max)" "s"
row "  t0 → container started (engine), median" "$(col 2 med)" "s"
row "  t0 → task running (manager), median" "$(col 3 med)" "s"
row "  task running → answering by name, median" "$(col 4 med)" "s"
row "  task running → answering by name, max" "$(col 4 max)" "s"
echo
echo "notes:"
echo "- load: inline Node client (net, HTTP/1.0, keep-alive off), $CONC connections, ${DUR}s × $ROUNDS per kind, from the gateway 10.213.0.1; busybox httpd -f"
echo "- requests ok/errors: mesh $m_ok/$m_err, host mode $d_ok/$d_err; load average after load: $LOAD_AVG"
per=""; IFS=, read -ra parts <<<"$m_per"
for p in "${parts[@]}"; do k=${p%%:*}; per+=" ${NODE_OF[$k]:-$k} ${p#*:}ms"; done
echo "- mesh answers by task (node requests@median):$per"
echo "- setup: t0 = before \`tsw service create -d\` (CLI start-up included; CLI returned after $(col 5 med) s median); client polls every 20 ms ($(awk '{ s += $6 } END { printf "%d", s / NR }' "$D/setup") tries/run on average); $RUNS runs"
[ ! -s "$D/errors" ] || { echo "- failures:"; sed 's/^/  /' "$D/errors"; }
