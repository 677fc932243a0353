// What integration tests use to drive tsw and look at the lab's engines.
import { execFile, spawn } from 'node:child_process'
import { request } from 'node:https'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const LAB = join(ROOT, 'test/lab/lab.sh')
export const GATEWAY = '10.213.0.1'
export const SSH_KEY = '/var/lib/tsw-lab/ssh/id_ed25519'

/** Address of lab host i (1-based). */
export const hostIp = (i: number) => `10.213.0.${10 + i}`
/** The plain-TCP engine URL of lab host i. */
export const tcpEngine = (i: number) => `tcp://${hostIp(i)}:2375`
/** The SSH engine URL of lab host i (its sshd must be running: lab.sh sshd i). */
export const sshEngine = (i: number) => `ssh://root@${hostIp(i)}?socket=/var/lib/tsw-lab/node0${i}/docker.sock`

export interface Run {
  code: number
  stdout: string
  stderr: string
}

/** Runs a command to completion (never rejects). */
export function run(cmd: string, args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env: { ...process.env, NO_COLOR: '1', ...env }, timeout: timeoutMs, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0
      resolve({ code, stdout: String(stdout), stderr: String(stderr) })
    })
  })
}

/** Runs the built tsw CLI with a data dir. */
export function tsw(dataDir: string, ...args: string[]): Promise<Run> {
  // The lab's engines and etcd are plain TCP on a private network: no warning for them.
  return run(process.execPath, [join(ROOT, 'bin/run.js'), ...args], { TSW_DATA_DIR: dataDir, TSW_INSECURE_OK: '1' })
}

/** Runs the docker CLI against lab host i's engine. */
export function docker(i: number, ...args: string[]): Promise<Run> {
  return run('docker', ['-H', tcpEngine(i), ...args])
}

/** The environment that points the docker CLI at the manager at `addr`, with the client bundle of data dir `dataDir`. */
export function managerDockerEnv(addr: string, dataDir: string): Record<string, string> {
  return { DOCKER_HOST: `tcp://${addr}`, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: join(dataDir, 'tls') }
}

/** Runs a lab.sh verb (kill-engine, start-engine, cut, heal…). */
export async function lab(...args: string[]): Promise<void> {
  const r = await run('bash', [LAB, ...args], {}, 120_000)
  if (r.code !== 0) throw new Error(`lab.sh ${args.join(' ')} failed: ${r.stderr}`)
}

/** Polls `check` until it returns a truthy value or the deadline passes (then throws with the last value). */
export async function waitFor<T>(check: () => Promise<T> | T, timeoutMs = 30_000, what = 'condition', intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: T | undefined
  let lastErr: unknown
  while (Date.now() < deadline) {
    try {
      last = await check()
      if (last) return last
    } catch (err) {
      lastErr = err
    }
    await new Promise((r) => setTimeout(r, intervalMs))
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last value: ${JSON.stringify(last)}${lastErr ? `, last error: ${String(lastErr)}` : ''}`)
}

/** A fresh temp folder for one host's data dir. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `tsw-${prefix}-`))
}

/** A swarm of the lab: a manager for node01's engine, on the gateway at `port`. */
export class LabSwarm {
  readonly root = tempDir('swarm')
  constructor(readonly port: number) {}

  /** Data dir of lab host i. */
  dir(i: number): string {
    return join(this.root, `node0${i}`)
  }

  get addr(): string {
    return `${GATEWAY}:${this.port}`
  }

  /** tsw as run on lab host i. */
  tsw(i: number, ...args: string[]): Promise<Run> {
    return tsw(this.dir(i), ...args)
  }

  async init(extra: string[] = []): Promise<Run> {
    return this.tsw(1, 'swarm', 'init', '--engine', tcpEngine(1), '--advertise-addr', GATEWAY, '--listen-addr', this.addr, ...extra)
  }

  async token(role: 'worker' | 'manager' = 'worker'): Promise<string> {
    const r = await this.tsw(1, 'swarm', 'join-token', '-q', role)
    if (r.code !== 0) throw new Error(r.stderr)
    return r.stdout.trim()
  }

  async join(i: number, engine = tcpEngine(i), extra: string[] = []): Promise<Run> {
    return this.tsw(i, 'swarm', 'join', '--token', await this.token(), '--engine', engine, ...extra, this.addr)
  }

  /** The manager's pid, from its pidfile. */
  managerPid(): number {
    return Number(readFileSync(join(this.dir(1), 'manager/manager.pid'), 'utf8'))
  }

  /** A raw request to the manager's API, with the admin bundle (or none). */
  api(method: string, path: string, body?: unknown, withCert = true): Promise<{ status: number; body: string; json: any; headers: Record<string, string | string[] | undefined> }> {
    const tls = (f: string) => readFileSync(join(this.dir(1), 'tls', f), 'utf8')
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body)
      const req = request({
        host: GATEWAY, port: this.port, method, path, ca: tls('ca.pem'),
        ...(withCert ? { cert: tls('cert.pem'), key: tls('key.pem') } : {}),
        headers: payload ? { 'Content-Type': 'application/json' } : {},
      }, (res) => {
        let text = ''
        res.on('data', (c) => (text += c))
        res.on('end', () => {
          let json: unknown
          try { json = JSON.parse(text) } catch { json = undefined }
          resolve({ status: res.statusCode ?? 0, body: text, json, headers: res.headers })
        })
      })
      req.on('error', reject)
      req.end(payload)
    })
  }

  /** The docker CLI's environment for the manager, with host i's client bundle. */
  dockerEnv(i = 1): Record<string, string> {
    return managerDockerEnv(this.addr, this.dir(i))
  }

  /** The docker CLI against the manager, with host i's client bundle. */
  docker(i: number, ...args: string[]): Promise<Run> {
    return run('docker', args, this.dockerEnv(i))
  }

  /** The docker CLI against lab engine i. */
  dockerOn(i: number, ...args: string[]): Promise<Run> {
    return docker(i, ...args)
  }

  /** Starts the manager again in the foreground process group of the tests (after a SIGKILL). */
  restartManager(): void {
    const child = spawn(process.execPath, [join(ROOT, 'bin/run.js'), 'manager', '--data-dir', this.dir(1)], { detached: true, stdio: 'ignore' })
    child.unref()
  }

  /** The swarm's cluster ID (its containers carry it in io.tsw.cluster.id). */
  clusterId(): string {
    return JSON.parse(readFileSync(join(this.dir(1), 'context.json'), 'utf8')).ClusterID
  }

  /** Running containers of a service on each lab engine: [node01's, node02's, node03's]. */
  async running(service: string, hosts = [1, 2, 3]): Promise<number[]> {
    return Promise.all(hosts.map(async (i) => (await this.containers(i, service)).length))
  }

  /** IDs of the running containers of a service (or all of this swarm's) on lab engine i. */
  async containers(i: number, service?: string, all = false): Promise<string[]> {
    const filters = ['--filter', `label=io.tsw.cluster.id=${this.id ??= this.clusterId()}`]
    if (service) filters.push('--filter', `label=com.docker.swarm.service.name=${service}`)
    const r = await docker(i, 'ps', '-q', ...(all ? ['-a'] : []), ...filters)
    if (r.code !== 0) throw new Error(`docker ps on node0${i}: ${r.stderr}`)
    return r.stdout.split('\n').filter(Boolean)
  }

  /** IDs of the plain containers (classic swarm: docker run through the manager) this swarm made on lab engine i, running or not. */
  async classicContainers(i: number): Promise<string[]> {
    const r = await docker(i, 'ps', '-aq', '--filter', `label=io.tsw.classic.cluster=${this.id ??= this.clusterId()}`)
    if (r.code !== 0) throw new Error(`docker ps on node0${i}: ${r.stderr}`)
    return r.stdout.split('\n').filter(Boolean)
  }

  private id?: string

  /** Stops the manager (SIGKILL), removes this swarm's containers from the engines and every data dir. */
  async destroy(): Promise<void> {
    try {
      process.kill(this.managerPid(), 'SIGKILL')
    } catch { /* not running */ }
    try {
      this.id ??= this.clusterId()
      for (const i of [1, 2, 3]) {
        const ids = await this.containers(i, undefined, true).catch(() => [])
        ids.push(...await this.classicContainers(i).catch(() => []))
        if (ids.length) await docker(i, 'rm', '-f', ...ids)
        await removeNetworkPieces(i, this.id)
      }
    } catch { /* no cluster was made */ }
    rmSync(this.root, { recursive: true, force: true })
  }
}

/**
 * Removes what a swarm's overlay networks left on lab host i: its network helper
 * container, its engine bridge networks, and (host-wide) tsw's VXLAN devices and
 * iptables chains, so the next test starts from a plain host.
 */
export async function removeNetworkPieces(i: number, clusterId: string): Promise<void> {
  const helpers = await docker(i, 'ps', '-aq', '--filter', `label=io.tsw.network.helper=${clusterId}`)
  const ids = helpers.stdout.split('\n').filter(Boolean)
  if (ids.length) await docker(i, 'rm', '-f', ...ids)
  const nets = await docker(i, 'network', 'ls', '-q', '--filter', `label=io.tsw.network.cluster=${clusterId}`)
  for (const n of nets.stdout.split('\n').filter(Boolean)) await docker(i, 'network', 'rm', n)
  const script = [
    "for d in $(ip -o link show type vxlan | awk -F': ' '{print $2}' | cut -d@ -f1 | grep '^tswvx'); do ip link del $d; done",
    'for c in PREROUTING:TSW-PRE OUTPUT:TSW-OUT POSTROUTING:TSW-POST; do iptables -t nat -D ${c%%:*} -j ${c#*:} 2>/dev/null; iptables -t nat -F ${c#*:} 2>/dev/null; iptables -t nat -X ${c#*:} 2>/dev/null; done',
    'for c in DOCKER-USER FORWARD; do iptables -D $c -j TSW-FWD 2>/dev/null; done; iptables -F TSW-FWD 2>/dev/null; iptables -X TSW-FWD 2>/dev/null',
    'iptables -D OUTPUT -j TSW-OUTPUT 2>/dev/null; iptables -F TSW-OUTPUT 2>/dev/null; iptables -X TSW-OUTPUT 2>/dev/null; true',
  ].join('\n')
  await run('nsenter', [`--net=/var/run/netns/tswn${i}`, 'sh', '-c', script])
}
