import { readFileSync, rmSync } from 'node:fs'
import { FailedPreconditionError } from '../errors/index.js'
import { writeFile } from '../config/index.js'

/** The pid in a pidfile if that process is alive, else undefined. */
export function livePid(pidfile: string): number | undefined {
  let pid: number
  try {
    pid = Number(readFileSync(pidfile, 'utf8').trim())
  } catch {
    return undefined
  }
  if (!Number.isInteger(pid) || pid <= 0) return undefined
  try {
    process.kill(pid, 0)
  } catch {
    return undefined
  }
  // A killed manager nobody has reaped yet is a zombie: kill(pid, 0) still succeeds.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return undefined
  } catch {
    // no /proc: trust kill(pid, 0)
  }
  return pid
}

/** Writes this process's pid; throws when another live process holds the file. */
export function claimPidfile(pidfile: string): void {
  const other = livePid(pidfile)
  if (other && other !== process.pid) {
    throw new FailedPreconditionError(`a manager is already running for this data dir (pid ${other}, ${pidfile})`)
  }
  writeFile(pidfile, `${process.pid}\n`)
}

/** Removes the pidfile if it is ours. */
export function releasePidfile(pidfile: string): void {
  if (livePid(pidfile) === process.pid) rmSync(pidfile, { force: true })
}
