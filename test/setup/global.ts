// Starts the lab (real dockerd engines in network namespaces, a registry, an
// sshd on node02) once for the whole run, and takes it down afterwards unless
// TSW_LAB_KEEP=1. Unit tests do not need it; integration tests do.
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const LAB = fileURLToPath(new URL('../lab/lab.sh', import.meta.url))

function lab(...args: string[]): void {
  execFileSync('bash', [LAB, ...args], { stdio: ['ignore', 'ignore', 'inherit'] })
}

export function setup(): void {
  if (process.env.TSW_NO_LAB === '1') return
  lab('up', '3')
  lab('sshd', '2')
}

export function teardown(): void {
  if (process.env.TSW_NO_LAB === '1' || process.env.TSW_LAB_KEEP === '1') return
  lab('down')
}
