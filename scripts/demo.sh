#!/usr/bin/env bash
# A real demo on this machine: three Docker engines in network namespaces (the
# lab), a tsw swarm over them, a service scaled and a node drained. Run as root.
# Leaves the lab up afterwards; `bash test/lab/lab.sh down` removes it.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "run as root (it starts dockerd engines in network namespaces)"; exit 1; }
[ -d node_modules ] || npm ci --no-audit --no-fund
[ -f dist/tsw.cjs ] || npm run build

say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
D=/tmp/tsw-demo
tsw() { local host=$1; shift; TSW_DATA_DIR=$D/$host node bin/run.js "$@"; }

bash test/lab/lab.sh up 3 >/dev/null
[ -f $D/node01/manager/manager.pid ] && { kill "$(cat $D/node01/manager/manager.pid)" 2>/dev/null || true; }
rm -rf $D
for i in 1 2 3; do   # containers left by an earlier demo's swarm
  ids=$(docker -H tcp://10.213.0.1$i:2375 ps -aq --filter label=io.tsw.cluster.id)
  [ -z "$ids" ] || docker -H tcp://10.213.0.1$i:2375 rm -f $ids >/dev/null
done

say "tsw swarm init --advertise-addr 10.213.0.1 --engine tcp://10.213.0.11:2375      # on node01"
tsw node01 swarm init --advertise-addr 10.213.0.1 --engine tcp://10.213.0.11:2375
TOKEN=$(tsw node01 swarm join-token -q worker)
for i in 2 3; do
  say "tsw swarm join --token \$TOKEN --engine tcp://10.213.0.1$i:2375 10.213.0.1:2377      # on node0$i"
  tsw node0$i swarm join --token "$TOKEN" --engine tcp://10.213.0.1$i:2375 10.213.0.1:2377
done
say "tsw node ls"; tsw node01 node ls
IMG=10.213.0.1:5000/busybox:1
{
  say "tsw service create --name web --replicas 3 --stop-grace-period 1s $IMG sleep 1d"
  tsw node01 service create --name web --replicas 3 --stop-grace-period 1s $IMG sleep 1d
  say "tsw service scale web=6"; tsw node01 service scale web=6
  say "tsw service ps web"; tsw node01 service ps web
}
say "tsw node update --availability drain node02"; tsw node01 node update --availability drain node02
say "tsw node ls"; tsw node01 node ls
for _ in $(seq 50); do   # until node02 runs none of web's containers
  [ "$(docker -H tcp://10.213.0.12:2375 ps -q --filter label=com.docker.swarm.service.name=web | wc -l)" = 0 ] && break; sleep 0.2
done
say "tsw service ps --filter desired-state=running web"; tsw node01 service ps --filter desired-state=running web
for i in 1 2 3; do echo "node0$i runs $(docker -H tcp://10.213.0.1$i:2375 ps -q --filter label=com.docker.swarm.service.name=web | wc -l) web containers"; done
printf '\nThe swarm keeps running: TSW_DATA_DIR=%s/node01 node bin/run.js node ls\n' "$D"
printf 'Docker CLI: DOCKER_HOST=tcp://10.213.0.1:2377 DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=%s/node01/tls docker node ls\n' "$D"
