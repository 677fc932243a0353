// A crashed engine is seen at once: its event stream drops, the manager checks
// it straight away instead of waiting for two missed heartbeats (5 s each).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lab, LabSwarm, waitFor } from '../../helpers/lab.js'

describe('a crashed engine', () => {
  const swarm = new LabSwarm(2388)
  const status = async () => (await swarm.tsw(1, 'node', 'ls', '--filter', 'name=node03', '--format', '{{.Status}}')).stdout.trim()

  beforeAll(async () => {
    expect((await swarm.init()).code).toBe(0) // default heartbeat: 5 s
    expect((await swarm.join(3)).code).toBe(0)
    const id = (await swarm.tsw(1, 'node', 'ls', '-q', '--filter', 'name=node03')).stdout.trim()
    // The manager watches an engine's events once it has looked at its containers (within 5 s).
    await waitFor(() => readFileSync(join(swarm.dir(1), 'manager/manager.log'), 'utf8').includes(`watching the events of node ${id}`), 15_000, 'event watch on node03')
  })
  afterAll(async () => {
    await lab('start-engine', '3')
    await swarm.destroy()
  }, 60_000)

  it('is Down in well under one heartbeat period, and Ready again when it is back', async () => {
    expect(await status()).toBe('Ready')
    const t0 = Date.now()
    await lab('kill-engine', '3')
    await waitFor(async () => (await status()) === 'Down', 10_000, 'node03 Down')
    expect(Date.now() - t0).toBeLessThan(3000)
    await lab('start-engine', '3')
    await waitFor(async () => (await status()) === 'Ready', 20_000, 'node03 Ready')
  })
})
