// What integration tests use to drive tsw and look at the lab's engines.
import { execFile } from 'node:child_process'
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
  return run(process.execPath, [join(ROOT, 'bin/run.js'), ...args], { TSW_DATA_DIR: dataDir })
}

/** Runs the docker CLI against lab host i's engine. */
export function docker(i: number, ...args: string[]): Promise<Run> {
  return run('docker', ['-H', tcpEngine(i), ...args])
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

  /** Stops the manager (SIGKILL) and removes every data dir. */
  destroy(): void {
    try {
      process.kill(this.managerPid(), 'SIGKILL')
    } catch { /* not running */ }
    rmSync(this.root, { recursive: true, force: true })
  }
}
