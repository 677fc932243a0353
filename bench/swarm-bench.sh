#!/usr/bin/env bash
# swarm-bench.sh - time swarm-manager scenarios using only the docker CLI, so it can be
# pointed at any Docker-API-compatible manager (real SwarmKit, or tsw).
#
# usage: swarm-bench.sh MANAGER_HOST [WORKER_HOST ...]
#   MANAGER_HOST / WORKER_HOST are DOCKER_HOST values (tcp://10.213.0.11:2375 ...).
#   With worker hosts the script (re)creates the swarm each run (scenario a: every engine
#   does `swarm leave --force`, then init + joins) and leaves it at the end (LEAVE=0 keeps
#   it). Without them it uses the swarm that MANAGER_HOST already manages.
# env: RUNS=3  SCENARIOS=abcdefghi  IMAGE=10.213.0.1:5000/busybox:1  TIMEOUT=300 (s/wait)
#      STOP_GRACE=1s (busybox `sleep` as PID 1 ignores SIGTERM: default 10s per stop)
#      ENGINES="tcp://… …": the engines to look at for task containers (default: MANAGER_HOST
#      and the workers; set it when the manager is not itself an engine, as tsw's is not)
#      MANAGER_TLS_DIR=DIR: talk to the manager with TLS, client bundle in DIR (tsw)
#      KILL_CMD / START_CMD: shell commands that crash / restart FAIL_NODE (e is skipped
#      without them), e.g. "lab.sh kill-engine 3"; FAIL_NODE defaults to the last worker,
#      DRAIN_NODE to the first one.
# stdout: one line per figure, "name median  # runs: ...", seconds unless stated;
# progress goes to stderr.
set -uo pipefail
MGR=${1:?usage: swarm-bench.sh MANAGER_HOST [WORKER_HOST ...]}; shift; WORKERS=("$@")
RUNS=${RUNS:-3}; SCEN=${SCENARIOS:-abcdefghi}; IMAGE=${IMAGE:-10.213.0.1:5000/busybox:1}
TIMEOUT=${TIMEOUT:-300}; STOP_GRACE=${STOP_GRACE:-1s}; LEAVE=${LEAVE:-1}
KILL_CMD=${KILL_CMD:-}; START_CMD=${START_CMD:-}
SLEEPER=(--stop-grace-period "$STOP_GRACE" "$IMAGE" sleep 100000)
HTTPD='mkdir -p /www; echo hello-$(hostname) >/www/index.html; exec httpd -f -p 80 -h /www'

read -r -a ENG <<<"${ENGINES:-$MGR ${WORKERS[*]:-}}"
if [ -n "${MANAGER_TLS_DIR:-}" ]; then
  d()   { DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH="$MANAGER_TLS_DIR" docker -H "$MGR" "$@"; }
else
  d()   { docker -H "$MGR" "$@"; }
fi
e()     { env -u DOCKER_TLS_VERIFY -u DOCKER_CERT_PATH docker -H "$@"; }
now()   { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.3f", b-a}'; }
has()   { [[ $SCEN == *$1* ]]; }
addr()  { local h=${1#tcp://}; echo "${h%:*}"; }          # tcp://IP:port -> IP
declare -A FIG; ORDER=()
fig() { [ -n "${FIG[$1]+x}" ] || ORDER+=("$1"); FIG[$1]="${FIG[$1]:-} $2"; echo "  run$run $1 $2" >&2; }
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END{if(NR%2)print a[(NR+1)/2]; else printf "%.3f\n",(a[NR/2]+a[NR/2+1])/2}'; }

# wait_for T0 CMD...: poll CMD until it succeeds; print seconds since T0 (or TIMEOUT)
wait_for() {
  local t0=$1; shift
  until "$@"; do
    awk -v s="$(since "$t0")" -v m="$TIMEOUT" 'BEGIN{exit !(s>m)}' && { echo TIMEOUT; return 1; }
    sleep 0.2
  done
  since "$t0"
}
# tasks SVC [all]: "ID|NODE|CURRENTSTATE" for tasks whose desired state is running (or all)
tasks() {
  local f=(--filter desired-state=running); [ "${2:-}" = all ] && f=()
  d service ps --no-trunc "${f[@]}" --format '{{.ID}}|{{.Node}}|{{.CurrentState}}' "$1" 2>/dev/null
}
n_running()     { tasks "$1" | awk -F'|' '$3 ~ /^Running/' | wc -l; }
running_is()    { [ "$(n_running "$1")" -eq "$2" ]; }
running_off()   { [ "$(tasks "$1" | awk -F'|' -v n="$3" '$2!=n && $3 ~ /^Running/' | wc -l)" -eq "$2" ]; }
node_status()   { d node ls --format '{{.Hostname}} {{.Status}}' | awk -v n="$1" '$1==n{print $2}'; }
node_is()       { [ "$(node_status "$1")" = "$2" ]; }
n_ready()       { d node ls --format '{{.Status}}' 2>/dev/null | grep -c '^Ready$'; }
ready_is()      { [ "$(n_ready)" -eq "$1" ]; }
new_running()   { [ "$(tasks "$1" | awk -F'|' '$3 ~ /^Running/{print $1}' | grep -cvxF -f "$2")" -eq "$3" ]; }
upd_done()      { [ "$(d service inspect -f '{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}' "$1")" = completed ]; }
drained()       { [ "$(tasks "$1" all | awk -F'|' -v n="$2" '$2==n && $3 ~ /^Running/' | wc -l)" -eq 0 ] && running_off "$1" 30 "$2"; }
engines_idle()  { local h; for h in "${ENG[@]}"; do
                    [ -z "$(e "$h" ps -q --filter label=com.docker.swarm.task 2>/dev/null)" ] || return 1; done; }
rm_svc()        { d service rm "$@" >/dev/null 2>&1; wait_for "$(now)" engines_idle >/dev/null; }
create30()      { d service create --detach --quiet --name "$1" --replicas 30 "${SLEEPER[@]}" >/dev/null; }
workers()       { d node ls --filter role=worker --format '{{.Hostname}}' | sort; }

scen_a() {   # fresh swarm: init + joins, until every node is Ready
  local h t0 tok
  for h in "${WORKERS[@]}" "$MGR"; do docker -H "$h" swarm leave --force >/dev/null 2>&1; done
  t0=$(now)
  d swarm init --advertise-addr "$(addr "$MGR")" >/dev/null || return 1
  fig swarm_init_call "$(since "$t0")"
  tok=$(d swarm join-token -q worker)
  for h in "${WORKERS[@]}"; do
    docker -H "$h" swarm join --token "$tok" --advertise-addr "$(addr "$h")" "$(addr "$MGR"):2377" >/dev/null
  done
  fig swarm_ready_all "$(wait_for "$t0" ready_is $((1 + ${#WORKERS[@]})))"
}

scen_bcd() {  # create 30, scale 60, back to 30, rolling update
  local t0 old
  t0=$(now); create30 bench; fig converge_30 "$(wait_for "$t0" running_is bench 30)"
  has c && { t0=$(now); d service scale --detach bench=60 >/dev/null 2>&1
             fig scale_60 "$(wait_for "$t0" running_is bench 60)"
             d service scale --detach bench=30 >/dev/null 2>&1; wait_for "$t0" running_is bench 30 >/dev/null
             wait_for "$t0" engines_idle_but 30 >/dev/null; }
  if has d; then
    old=$(mktemp); tasks bench | cut -d'|' -f1 >"$old"; t0=$(now)
    d service update --detach --env-add X=1 --update-parallelism 5 --update-delay 0s bench >/dev/null
    fig update_30_running "$(wait_for "$t0" new_running bench "$old" 30)"
    fig update_30_completed "$(wait_for "$t0" upd_done bench)"
    rm -f "$old"
  fi
  rm_svc bench
}
engines_idle_but() {  # exactly N swarm task containers running over all engines
  local h n=0; for h in "${ENG[@]}"; do
    n=$((n + $(e "$h" ps -q --filter label=com.docker.swarm.task 2>/dev/null | wc -l))); done
  [ "$n" -eq "$1" ]
}

scen_e() {   # crash a worker engine
  local node t0 n; node=${FAIL_NODE:-$(workers | tail -1)}
  [ -n "$KILL_CMD" ] && [ -n "$START_CMD" ] || { echo "  e skipped: KILL_CMD/START_CMD unset" >&2; return; }
  t0=$(now); create30 fail; wait_for "$t0" running_is fail 30 >/dev/null
  fig tasks_on_failed_node_before "$(tasks fail | grep -c "|$node|")"
  t0=$(now); sh -c "$KILL_CMD"
  fig node_down_detect "$(wait_for "$t0" node_is "$node" Down)"
  fig failover_30 "$(wait_for "$t0" running_off fail 30 "$node")"
  t0=$(now); sh -c "$START_CMD"
  fig node_back_ready "$(wait_for "$t0" node_is "$node" Ready)"
  sleep 15
  n=$(tasks fail | awk -F'|' -v n="$node" '$2==n' | wc -l); fig tasks_on_node_15s_after_return "$n"
  rm_svc fail
}

scen_f() {   # drain a worker
  local node t0; node=${DRAIN_NODE:-$(workers | head -1)}
  t0=$(now); create30 drain; wait_for "$t0" running_is drain 30 >/dev/null
  t0=$(now); d node update --availability drain "$node" >/dev/null
  fig drain_30 "$(wait_for "$t0" drained drain "$node")"
  d node update --availability active "$node" >/dev/null
  rm_svc drain
}

scen_g() {   # CLI round trips against the manager
  local c i t0 v
  for c in "node ls" "service ls"; do
    v=""; for i in $(seq 20); do t0=$(now); d $c >/dev/null; v="$v $(since "$t0")"; done
    fig "cli_${c// /_}_median_of_20" "$(echo "$v" | median)"
    [ -n "${TSW_CLI:-}" ] || continue
    v=""; for i in $(seq 20); do t0=$(now); $TSW_CLI $c >/dev/null; v="$v $(since "$t0")"; done
    fig "tsw_cli_${c// /_}_median_of_20" "$(echo "$v" | median)"
    continue
    fig "cli_${c// /_}_median_of_20" "$(echo "$v" | median)"
  done
}

scen_h() {   # routing mesh (ingress, needs IPVS) vs host-mode publishing
  local h t0 ok=0 okh=0 n=$((1 + ${#WORKERS[@]}))
  t0=$(now)
  d service create --detach --quiet --name web --replicas 2 -p 8000:80 "$IMAGE" sh -c "$HTTPD" >/dev/null
  d service create --detach --quiet --name webh --mode global \
    --publish mode=host,target=80,published=8001 "$IMAGE" sh -c "$HTTPD" >/dev/null
  echo "  web (ingress): $(TIMEOUT=60 wait_for "$t0" running_is web 2)  webh (host): $(TIMEOUT=60 wait_for "$t0" running_is webh "$n")" >&2
  for h in "$MGR" "${WORKERS[@]}"; do
    curl -s -m 3 "http://$(addr "$h"):8000/" | grep -q hello && ok=$((ok + 1))
    curl -s -m 3 "http://$(addr "$h"):8001/" | grep -q hello && okh=$((okh + 1))
  done
  echo "mesh_ingress_8000_ok ${ok}/$n"; echo "host_mode_8001_ok ${okh}/$n"
  d service ps --no-trunc --format '  {{.Name}} {{.Node}} {{.CurrentState}} {{.Error}}' web webh | head -8 >&2
  rm_svc web webh
}

scen_i() {   # overlay: server + dnsrr server on one node, a client on another
  # (HTTP via nc: busybox-static's wget segfaults inside a libc-less image)
  local w1 w2 t0 script
  w1=$(workers | head -1); w2=$(workers | tail -1)
  d network create -d overlay --attachable tswnet >/dev/null
  t0=$(now)
  for s in ovs:vip ovr:dnsrr; do
    d service create --detach --quiet --name "${s%:*}" --network tswnet --endpoint-mode "${s#*:}" \
      --constraint "node.hostname==$w1" "$IMAGE" sh -c "$HTTPD" >/dev/null
  done
  wait_for "$t0" running_is ovs 1 >/dev/null; wait_for "$t0" running_is ovr 1 >/dev/null
  script='sleep 3; for t in ovs tasks.ovs ovr; do
    ip=$(nslookup $t 2>/dev/null | awk "/^Address/{a=\$NF} END{print a}")
    ping -c1 -W2 $t >/dev/null 2>&1 && p=ok || p=fail
    printf "GET / HTTP/1.0\r\n\r\n" | nc -w 3 $t 80 2>/dev/null | grep -q hello && w=ok || w=fail
    echo RESULT $t ip=$ip ping=$p http=$w; done; exec sleep 100000'
  d service create --detach --quiet --name ovc --network tswnet --restart-condition none \
    --constraint "node.hostname==$w2" "$IMAGE" sh -c "$script" >/dev/null
  t0=$(now); TIMEOUT=60 wait_for "$t0" sh -c "[ \$(docker -H '$MGR' service logs --raw ovc 2>/dev/null | grep -c RESULT) -ge 3 ]" >/dev/null
  echo "  server on $w1, client on $w2" >&2
  d service logs --raw ovc 2>&1 | grep RESULT | sed 's/^RESULT /overlay /'
  d service ps --no-trunc --format '  {{.Name}} {{.Node}} {{.CurrentState}} {{.Error}}' ovs ovr ovc >&2
  rm_svc ovs ovr ovc; d network rm tswnet >/dev/null
}

for run in $(seq 1 "$RUNS"); do
  echo "run $run" >&2
  if [ ${#WORKERS[@]} -gt 0 ] && { has a || [ "$run" = 1 ]; }; then scen_a || exit 1; fi
  [ "$run" = 1 ] && { rm_svc bench fail drain web webh ovs ovr ovc; }
  { has b || has c || has d; } && scen_bcd
  has e && scen_e
  has f && scen_f
  has g && scen_g
done
run=final
has h && scen_h
has i && scen_i
for k in "${ORDER[@]}"; do echo "$k $(echo "${FIG[$k]}" | median)  # runs:${FIG[$k]}"; done
if [ ${#WORKERS[@]} -gt 0 ] && [ "$LEAVE" = 1 ]; then
  for h in "${WORKERS[@]}" "$MGR"; do docker -H "$h" swarm leave --force >/dev/null 2>&1; done
fi
