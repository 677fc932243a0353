#!/usr/bin/env bash
# lab.sh - a multi-host Docker lab on ONE machine, for testing swarm managers.
#
#   lab.sh up N          bridge tswlab0 (10.213.0.1/24) + hosts node01..nodeN, each a
#                        network namespace tswnI (eth0 = 10.213.0.(10+I)) running its own
#                        dockerd on tcp://10.213.0.(10+I):2375; a docker-registry on
#                        10.213.0.1:5000 holding 10.213.0.1:5000/busybox:1
#   lab.sh down          stop everything (by pidfile), delete netns/veths/bridge/node data
#   lab.sh status        one line per part
#   lab.sh kill-engine I crash host I: SIGKILL its dockerd+containerd and its containers
#   lab.sh start-engine I start host I's dockerd again (it cleans up after a crash)
#   lab.sh cut I | heal I  partition / reconnect host I (its bridge-side veth down / up)
#   lab.sh sshd I        start an sshd on host I (port 22, key-only, root, stream
#                        forwarding allowed); client key: $STATE/ssh/id_ed25519
#   lab.sh etcd N        a fresh etcd cluster (Debian's etcd-server) of members on hosts
#                        1..N: http://10.213.0.(10+I):2379 (clients), :2380 (peers)
#   lab.sh etcd-stop     stop every etcd member and remove their data
#   lab.sh kill-etcd I | start-etcd I   crash / restart one member (data kept)
#
# Idempotent: every step checks first. Only 10.213.0.0/24 and loopback are used; the
# namespaces get no default route, so nothing can leave the bridge.
# Quirks: `ip netns exec` remounts /sys and dockerd then fails ("Devices cgroup isn't
# mounted"), so dockerd runs under `nsenter --net` (+ `unshare --uts` for its hostname).
# A root-netns dockerd sets FORWARD policy DROP and br_netfilter filters bridged frames,
# so traffic between the hosts needs an ACCEPT rule for tswlab0.
set -euo pipefail

BR=tswlab0; NET=10.213.0; GW=$NET.1; REG=$GW:5000
STATE=${TSW_LAB_STATE:-/var/lib/tsw-lab}
FWD=(FORWARD -i $BR -o $BR -j ACCEPT)

ip_of()  { echo "$NET.$((10 + $1))"; }
name_of(){ printf 'node%02d' "$1"; }
dir_of() { echo "$STATE/$(name_of "$1")"; }
log()    { echo "lab: $*" >&2; }

# pid from a pidfile, only if alive and its command line mentions $2 (guards pid reuse)
live_pid() {
  local p; [ -s "$1" ] || return 1; p=$(cat "$1")
  kill -0 "$p" 2>/dev/null && tr '\0' ' ' </proc/"$p"/cmdline | grep -F -- "$2" >/dev/null && echo "$p"
}

need_pkgs() {
  local miss=() p
  for p in docker.io busybox-static iptables iproute2 docker-registry openssh-server openssh-client; do
    dpkg -s "$p" >/dev/null 2>&1 || miss+=("$p")
  done
  [ ${#miss[@]} -eq 0 ] && return
  log "installing ${miss[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${miss[@]}" >/dev/null
}

dk() { local d; d=$(dir_of "$1"); shift; docker -H "unix://$d/docker.sock" "$@"; }

start_registry() {
  local d=$STATE/registry; mkdir -p "$d/data"
  live_pid "$d/registry.pid" "$d/config.yml" >/dev/null && return
  cat >"$d/config.yml" <<EOF
version: 0.1
log: {level: warn}
storage:
  filesystem: {rootdirectory: $d/data}
  delete: {enabled: true}
http: {addr: "$REG"}
EOF
  setsid docker-registry serve "$d/config.yml" >>"$d/registry.log" 2>&1 </dev/null &
  echo $! >"$d/registry.pid"
  for _ in $(seq 50); do busybox wget -q -O /dev/null "http://$REG/v2/" 2>/dev/null && return; sleep 0.2; done
  log "registry did not come up; see $d/registry.log"; return 1
}

add_host() {   # netns + veth pair + addresses; no default route on purpose
  local i=$1 ns=tswn$1 v=tswveth$1 ip; ip=$(ip_of "$1")
  [ -e /var/run/netns/$ns ] || ip netns add $ns
  if ! ip link show $v >/dev/null 2>&1; then
    ip link add $v type veth peer name eth0 netns $ns
    ip link set $v master $BR up
    ip -n $ns addr add "$ip/24" dev eth0
    ip -n $ns link set eth0 up
    ip -n $ns link set lo up
  fi
}

start_engine() {
  local i=$1 d ip; d=$(dir_of "$1"); ip=$(ip_of "$1")
  [ -e /var/run/netns/tswn$i ] || { log "no host $i (run up first)"; return 1; }
  mkdir -p "$d"
  live_pid "$d/dockerd.pid" "$d/root" >/dev/null && return
  # setsid: own session, survives this shell; exec: pidfile pid == dockerd pid
  setsid nsenter --net=/var/run/netns/tswn$i unshare --uts sh -c \
    "hostname $(name_of "$i"); exec dockerd --data-root $d/root --exec-root $d/exec \
     --pidfile $d/dockerd.pid -H unix://$d/docker.sock -H tcp://$ip:2375 --tls=false \
     --insecure-registry $REG" >>"$d/dockerd.log" 2>&1 </dev/null &
  for _ in $(seq 150); do dk "$i" version >/dev/null 2>&1 && return; sleep 0.2; done
  log "dockerd $i did not come up; tail of $d/dockerd.log:"; tail -5 "$d/dockerd.log" >&2; return 1
}

# SIGKILL the engine's dockerd, containerd, container inits and their shims (all found
# through pidfiles under its exec-root), i.e. the host "crashes".
kill_engine() {
  local d p f c s; d=$(dir_of "$1")
  if p=$(live_pid "$d/dockerd.pid" "$d/root"); then
    kill -KILL "$p"      # wait till gone, else a restart sees the pidfile ("pid file found")
    for _ in $(seq 50); do [ -e /proc/"$p" ] || break; sleep 0.1; done
    rm -f "$d/dockerd.pid"
  fi
  c=$(live_pid "$d/exec/containerd/containerd.pid" "$d/exec") && kill -KILL "$c"
  for f in "$d"/exec/containerd/daemon/io.containerd.runtime.v2.task/*/*/init.pid; do
    [ -s "$f" ] || continue; c=$(cat "$f"); kill -0 "$c" 2>/dev/null || continue
    s=$(awk '{print $4}' /proc/"$c"/stat)      # parent of a container init = its shim
    kill -KILL "$c"
    readlink /proc/"$s"/exe 2>/dev/null | grep containerd-shim >/dev/null && kill -KILL "$s"
  done
  return 0
}

stop_engine() {   # graceful (SIGTERM, containers stopped by dockerd), crash after 40 s
  local d p; d=$(dir_of "$1")
  if p=$(live_pid "$d/dockerd.pid" "$d/root"); then
    kill -TERM "$p"
    for _ in $(seq 200); do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
  fi
  kill_engine "$1"
}

# sshd inside host I's namespace, listening on its address, key-only, allowed to
# forward streams to unix sockets. The namespaces share the root filesystem, so
# the client names host I's engine socket explicitly:
#   ssh://root@10.213.0.(10+I)?socket=$STATE/nodeXX/docker.sock
start_sshd() {
  local i=$1 d k ip; d=$(dir_of "$1"); ip=$(ip_of "$1"); k=$STATE/ssh
  mkdir -p "$k" /run/sshd; chmod 700 "$k"
  [ -s "$k/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -f "$k/id_ed25519"
  [ -s "$k/host_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -f "$k/host_ed25519"
  cp "$k/id_ed25519.pub" "$k/authorized_keys"; chmod 600 "$k/authorized_keys"
  live_pid "$d/sshd.pid" "$d/sshd_config" >/dev/null && return
  printf '%s\n' "ListenAddress $ip:22" "HostKey $k/host_ed25519" "PidFile $d/sshd.pid" \
    "AuthorizedKeysFile $k/authorized_keys" "PasswordAuthentication no" \
    "KbdInteractiveAuthentication no" "PubkeyAuthentication yes" \
    "PermitRootLogin prohibit-password" "AllowStreamLocalForwarding yes" \
    "AllowTcpForwarding local" "UsePAM no" "StrictModes no" >"$d/sshd_config"
  nsenter --net=/var/run/netns/tswn"$i" /usr/sbin/sshd -f "$d/sshd_config" -E "$d/sshd.log"
  for _ in $(seq 50); do live_pid "$d/sshd.pid" "$d/sshd_config" >/dev/null && return; sleep 0.1; done
  log "sshd $i did not come up; see $d/sshd.log"; return 1
}

stop_sshd() { local d p; d=$(dir_of "$1"); p=$(live_pid "$d/sshd.pid" "$d/sshd_config") && kill -TERM "$p"; return 0; }

hosts() { ls /var/run/netns 2>/dev/null | sed -n 's/^tswn\([0-9]\+\)$/\1/p' | sort -n; }

up() {
  local n=${1:?usage: lab.sh up N} i
  need_pkgs
  ip link show $BR >/dev/null 2>&1 || ip link add $BR type bridge
  ip addr show dev $BR | grep "$GW/24" >/dev/null || ip addr add $GW/24 dev $BR
  ip link set $BR up
  iptables -C "${FWD[@]}" 2>/dev/null || iptables -I "${FWD[@]}"
  start_registry
  for i in $(seq 1 "$n"); do add_host "$i"; start_engine "$i"; done
  if ! busybox wget -q -O - "http://$REG/v2/busybox/tags/list" 2>/dev/null | grep '"1"' >/dev/null; then
    local rf=$STATE/bbroot                  # rootfs: busybox-static + applet symlinks
    rm -rf "$rf"; mkdir -p "$rf/bin" "$rf/tmp" "$rf/etc" "$rf/www"
    cp /bin/busybox "$rf/bin/busybox"
    for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -sf busybox "$rf/bin/$a"; done
    echo 'root:x:0:0:root:/:/bin/sh' >"$rf/etc/passwd"
    tar -C "$rf" -c . | dk 1 import -c 'CMD ["sh"]' - $REG/busybox:1 >/dev/null
    dk 1 push $REG/busybox:1 >/dev/null
  fi
  status
}

# One etcd member on host i, of the cluster of hosts 1..n (its data kept across restarts).
start_etcd() {
  local i=$1 n=$2 d ip peers="" j; d=$(dir_of "$i"); ip=$(ip_of "$i")
  live_pid "$d/etcd.pid" "$d/etcd-data" >/dev/null && return
  for j in $(seq 1 "$n"); do peers="$peers${peers:+,}$(name_of "$j")=http://$(ip_of "$j"):2380"; done
  mkdir -p "$d"
  setsid nsenter --net=/var/run/netns/tswn$i sh -c "echo \$\$ >$d/etcd.pid; exec etcd --name $(name_of "$i") \
    --data-dir $d/etcd-data --listen-client-urls http://$ip:2379 --advertise-client-urls http://$ip:2379 \
    --listen-peer-urls http://$ip:2380 --initial-advertise-peer-urls http://$ip:2380 \
    --initial-cluster $peers --initial-cluster-state new --initial-cluster-token tswlab \
    --heartbeat-interval 100 --election-timeout 1000 --pre-vote" >>"$d/etcd.log" 2>&1 </dev/null &
}

etcd_up() {
  local n=${1:?N} i ok
  command -v etcd >/dev/null || { log "installing etcd-server"; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq etcd-server >/dev/null; }
  etcd_stop
  for i in $(seq 1 "$n"); do start_etcd "$i" "$n"; done
  for _ in $(seq 100); do
    ok=1; for i in $(seq 1 "$n"); do busybox wget -q -O - "http://$(ip_of "$i"):2379/health" 2>/dev/null | grep -q '"true"' || ok=0; done
    [ $ok = 1 ] && { log "etcd: $n members up"; return; }
    sleep 0.2
  done
  log "etcd did not come up"; tail -3 "$(dir_of 1)/etcd.log" >&2; return 1
}

etcd_stop() {
  local i d p
  for i in $(hosts); do
    d=$(dir_of "$i"); p=$(live_pid "$d/etcd.pid" "$d/etcd-data") && kill -KILL "$p" 2>/dev/null
    rm -rf "$d/etcd-data" "$d/etcd.pid"
  done
  return 0
}

down() {
  local i d
  etcd_stop
  for i in $(hosts); do stop_sshd "$i"; stop_engine "$i" & done; wait     # in parallel: ~10 s stop timeouts
  for d in "$STATE"/node*; do      # leftover mounts of crashed engines, then their data
    [ -d "$d" ] || continue
    awk -v p="$d/" 'index($2, p) == 1 {print $2}' /proc/mounts | sort -r | xargs -r umount -l
    rm -rf "$d"
  done
  for i in $(hosts); do ip netns del tswn$i; ip link del tswveth$i 2>/dev/null || true; done
  local p; p=$(live_pid "$STATE/registry/registry.pid" "$STATE/registry") && kill -TERM "$p"
  ip link del $BR 2>/dev/null || true
  while iptables -C "${FWD[@]}" 2>/dev/null; do iptables -D "${FWD[@]}"; done
  log "down (registry data kept in $STATE/registry/data)"
}

status() {
  local i d p s
  ip -br addr show $BR 2>/dev/null || echo "$BR absent"
  p=$(live_pid "$STATE/registry/registry.pid" "$STATE/registry") && \
    echo "registry $REG pid $p $(busybox wget -q -O - http://$REG/v2/_catalog)" || echo "registry down"
  for i in $(hosts); do
    d=$(dir_of "$i")
    p=$(live_pid "$d/dockerd.pid" "$d/root") || p=-
    s=$([ "$p" = - ] || dk "$i" info --format '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}} running={{.ContainersRunning}}' 2>/dev/null || echo '?')
    echo "$(name_of "$i") tcp://$(ip_of "$i"):2375 veth=$(cat /sys/class/net/tswveth$i/operstate 2>/dev/null) dockerd=$p swarm=$s"
  done
}

cmd=${1:-status}; shift || true
case $cmd in
  up) up "$@" ;;
  down) down ;;
  status) status ;;
  kill-engine) kill_engine "${1:?I}" ;;
  start-engine) start_engine "${1:?I}" ;;
  cut) ip link set tswveth"${1:?I}" down ;;
  heal) ip link set tswveth"${1:?I}" up ;;
  sshd) start_sshd "${1:?I}" ;;
  etcd) etcd_up "$@" ;;
  etcd-stop) etcd_stop ;;
  kill-etcd) d=$(dir_of "${1:?I}"); p=$(live_pid "$d/etcd.pid" "$d/etcd-data") && kill -KILL "$p"; true ;;
  start-etcd) start_etcd "${1:?I}" "$(ls -d "$STATE"/node* | wc -l)" ;;
  *) sed -n '2,19p' "$0"; exit 2 ;;
esac
