// Several managers on the lab: a swarm on the lab's etcd cluster (lab.sh etcd 3)
// with a manager on each of hosts 1..3, each run inside its host's network
// namespace (so each has its own address, 10.213.0.1I:2377, as on three machines).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { docker, hostIp, managerDockerEnv, removeNetworkPieces, ROOT, run, tcpEngine, tempDir, waitFor, type Run } from './lab.js'

/** The lab's etcd cluster, as --store takes it. */
export const ETCD = 'etcd://10.213.0.11:2379,10.213.0.12:2379,10.213.0.13:2379'
export const IMG = '10.213.0.1:5000/busybox:1'

export class LabManagers {
  readonly root = tempDir('ha')
  private clusterIdCache?: string

  dir(i: number): string {
    return join(this.root, `node0${i}`)
  }

  /** Address of host i's manager. */
  addr(i: number): string {
    return `${hostIp(i)}:2377`
  }

  /** The docker CLI's environment for host i's manager, with host i's client bundle. */
  dockerEnv(i: number): Record<string, string> {
    return managerDockerEnv(this.addr(i), this.dir(i))
  }

  /** The docker CLI against host i's manager. */
  docker(i: number, ...args: string[]): Promise<Run> {
    return run('docker', args, this.dockerEnv(i))
  }

  /** tsw as run on host i: inside its network namespace (so a manager it starts lives there). */
  inHost(i: number, ...args: string[]): Promise<Run> {
    return run('nsenter', [`--net=/var/run/netns/tswn${i}`, process.execPath, join(ROOT, 'bin/run.js'), ...args], { TSW_DATA_DIR: this.dir(i), TSW_INSECURE_OK: '1' }, 90_000)
  }

  /** The CLI with host i's data dir, talking to host i's manager (its context) unless --host says otherwise. */
  tsw(i: number, ...args: string[]): Promise<Run> {
    return run(process.execPath, [join(ROOT, 'bin/run.js'), ...args], { TSW_DATA_DIR: this.dir(i), TSW_INSECURE_OK: '1' }, 90_000)
  }

  /** swarm init on host 1 with the etcd store, then hosts 2 and 3 join as managers. */
  async up(extra: string[] = []): Promise<void> {
    const init = await this.inHost(1, 'swarm', 'init', '--engine', tcpEngine(1), '--advertise-addr', hostIp(1),
      '--listen-addr', this.addr(1), '--store', ETCD, ...extra)
    if (init.code !== 0) throw new Error(`init: ${init.stderr}`)
    const token = await this.token('manager')
    for (const i of [2, 3]) {
      const j = await this.join(i, token)
      if (j.code !== 0 || j.stdout !== 'This node joined a swarm as a manager.\n') throw new Error(`join ${i}: ${j.stdout}${j.stderr}`)
    }
  }

  async token(role: 'worker' | 'manager'): Promise<string> {
    const r = await this.tsw(1, 'swarm', 'join-token', '-q', role)
    if (r.code !== 0) throw new Error(r.stderr)
    return r.stdout.trim()
  }

  join(i: number, token: string): Promise<Run> {
    return this.inHost(i, 'swarm', 'join', '--token', token, '--engine', tcpEngine(i), '--advertise-addr', hostIp(i),
      '--listen-addr', this.addr(i), this.addr(1))
  }

  /** Hostname → MANAGER STATUS, as manager i lists them. */
  async managerStatus(i: number): Promise<Record<string, string>> {
    const r = await this.tsw(i, 'node', 'ls', '--format', '{{.Hostname}} {{.ManagerStatus}}')
    if (r.code !== 0) throw new Error(r.stderr)
    return Object.fromEntries(r.stdout.split('\n').filter(Boolean).map((l) => {
      const at = l.indexOf(' ')
      return [l.slice(0, at), l.slice(at + 1).trim()]
    }))
  }

  /** The host number of the leader, as manager i sees it. */
  async leader(i: number): Promise<number> {
    const status = await this.managerStatus(i)
    const name = Object.keys(status).find((h) => status[h] === 'Leader')
    if (!name) throw new Error(`no leader in ${JSON.stringify(status)}`)
    return Number(name.slice(-2))
  }

  /** Waits until manager `asking` names a leader other than `not`; returns it. */
  async newLeader(asking: number, not: number, timeoutMs = 30_000): Promise<number> {
    return waitFor(async () => {
      const l = await this.leader(asking)
      return l !== not ? l : 0
    }, timeoutMs, `a leader other than node0${not}`)
  }

  pid(i: number): number | undefined {
    try {
      const pid = Number(readFileSync(join(this.dir(i), 'manager/manager.pid'), 'utf8'))
      process.kill(pid, 0)
      return pid
    } catch {
      return undefined
    }
  }

  kill(i: number): void {
    const pid = this.pid(i)
    if (pid) process.kill(pid, 'SIGKILL')
  }

  /** Starts host i's manager again, in the background, inside its namespace. */
  async restart(i: number): Promise<void> {
    const r = await this.inHost(i, 'manager', '-d')
    if (r.code !== 0) throw new Error(`manager -d on ${i}: ${r.stderr}`)
  }

  log(i: number): string {
    return readFileSync(join(this.dir(i), 'manager/manager.log'), 'utf8')
  }

  clusterId(): string {
    return (this.clusterIdCache ??= JSON.parse(readFileSync(join(this.dir(1), 'context.json'), 'utf8')).ClusterID)
  }

  /** Running containers of a service on each engine. */
  async running(service: string): Promise<number[]> {
    return Promise.all([1, 2, 3].map(async (i) => (await this.containers(i, service)).length))
  }

  /** Running containers of this swarm (of one service) on engine i, as "id slot" lines. */
  async containers(i: number, service?: string): Promise<string[]> {
    const filters = ['--filter', `label=io.tsw.cluster.id=${this.clusterId()}`]
    if (service) filters.push('--filter', `label=com.docker.swarm.service.name=${service}`)
    const r = await docker(i, 'ps', '-q', ...filters)
    if (r.code !== 0) throw new Error(r.stderr)
    return r.stdout.split('\n').filter(Boolean)
  }

  /** The task names (service.slot) of every running container of this swarm, on all engines. */
  async slots(): Promise<string[]> {
    const out: string[] = []
    for (const i of [1, 2, 3]) {
      const r = await docker(i, 'ps', '--filter', `label=io.tsw.cluster.id=${this.clusterId()}`, '--format', '{{.Label "com.docker.swarm.task.name"}}')
      out.push(...r.stdout.split('\n').filter(Boolean).map((n) => n.split('.').slice(0, 2).join('.')))
    }
    return out
  }

  async destroy(): Promise<void> {
    if (process.env.TSW_HA_KEEP === '1') return
    for (const i of [1, 2, 3]) this.kill(i)
    try {
      const id = this.clusterId()
      for (const i of [1, 2, 3]) {
        const r = await docker(i, 'ps', '-aq', '--filter', `label=io.tsw.cluster.id=${id}`)
        const ids = r.stdout.split('\n').filter(Boolean)
        if (ids.length) await docker(i, 'rm', '-f', ...ids)
        await removeNetworkPieces(i, id)
      }
    } catch { /* no swarm was made */ }
    const { rmSync } = await import('node:fs')
    rmSync(this.root, { recursive: true, force: true })
  }
}
