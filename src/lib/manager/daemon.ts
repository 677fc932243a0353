// Running the manager in the background, as `swarm init` does: a detached
// `tsw manager` with its output in the data dir's log file.
import { spawn } from 'node:child_process'
import { closeSync, openSync, readFileSync } from 'node:fs'
import { request } from 'node:https'
import { dataPaths, readManagerConfig } from '../config/index.js'
import { UnavailableError } from '../errors/index.js'
import { splitHostPort } from './addresses.js'
import { livePid } from './pidfile.js'

/** Starts `tsw manager --data-dir D` detached and waits until it answers /_ping. */
export async function startDaemon(dataDir: string, entry: string, timeoutMs = 20_000): Promise<number> {
  const paths = dataPaths(dataDir)
  const running = livePid(paths.pidfile)
  if (running) return running
  const log = openSync(paths.logfile, 'a', 0o600)
  const child = spawn(process.execPath, [entry, 'manager', '--data-dir', dataDir], {
    detached: true, stdio: ['ignore', log, log], env: process.env,
  })
  closeSync(log)
  child.unref()
  let exited: number | null = null
  child.once('exit', (code) => (exited = code ?? 1))
  const config = readManagerConfig(dataDir)
  const listen = splitHostPort(config?.ListenAddr ?? '0.0.0.0:2377', 'listen address')
  const host = listen.host === '0.0.0.0' ? '127.0.0.1' : listen.host
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (exited !== null) break
    if (await pingOnce(host, listen.port)) return child.pid ?? 0
    await new Promise((r) => setTimeout(r, 50))
  }
  const tail = readFileSync(paths.logfile, 'utf8').trim().split('\n').slice(-5).join('\n')
  throw new UnavailableError(`the manager did not start (see ${paths.logfile}):\n${tail}`)
}

/** Stops the manager of a data dir (SIGTERM, then SIGKILL after `graceMs`); false if none ran. */
export async function stopDaemon(dataDir: string, graceMs = 10_000): Promise<boolean> {
  const pid = livePid(dataPaths(dataDir).pidfile)
  if (!pid) return false
  process.kill(pid, 'SIGTERM')
  const deadline = Date.now() + graceMs
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0)
    } catch {
      return true
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  process.kill(pid, 'SIGKILL')
  return true
}

function pingOnce(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host, port, path: '/_ping', method: 'GET', rejectUnauthorized: false, timeout: 1000 }, (res) => {
      res.resume()
      resolve(res.statusCode === 200)
    })
    req.on('error', () => resolve(false))
    req.on('timeout', () => req.destroy())
    req.end()
  })
}
