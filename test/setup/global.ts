// Starts the lab (real dockerd engines in network namespaces, a registry, an
// sshd on node02) once for the whole run, and takes it down afterwards unless
// TSW_LAB_KEEP=1. Unit tests do not need it; integration tests do.
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const LAB = fileURLToPath(new URL('../lab/lab.sh', import.meta.url))

function lab(...args: string[]): void {
  execFileSync('bash', [LAB, ...args], { stdio: ['ignore', 'ignore', 'inherit'] })
}

// Containers a swarm of an earlier run left on a kept lab (a run killed midway): joins would
// find "pieces of another swarm" there, so such a lab is started afresh.
function leftovers(): boolean {
  for (const i of [1, 2, 3]) {
    for (const label of ['io.tsw.cluster.id', 'io.tsw.classic.cluster']) {
      try {
        const ids = execFileSync('docker', ['-H', `tcp://10.213.0.${10 + i}:2375`, 'ps', '-aq', '--filter', `label=${label}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
        if (ids.trim()) return true
      } catch {
        return false // no engine there: the lab is not up
      }
    }
  }
  return false
}

export function setup(): void {
  if (process.env.TSW_NO_LAB === '1') return
  if (leftovers()) {
    process.stderr.write('lab: containers of an earlier run left on the engines: starting the lab afresh\n')
    lab('down')
  }
  lab('up', '3')
  lab('sshd', '2')
}

export function teardown(): void {
  if (process.env.TSW_NO_LAB === '1' || process.env.TSW_LAB_KEEP === '1') return
  lab('down')
}
