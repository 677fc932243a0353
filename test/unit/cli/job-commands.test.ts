// `service create --mode replicated-job|global-job` through oclif against a fake manager client: the spec sent.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import ServiceCreate from '../../../src/commands/service/create.js'
import { BaseCommand } from '../../../src/lib/cli/base.js'
import type { ManagerClient } from '../../../src/lib/client/client.js'
import type { ServiceSpec } from '../../../src/lib/types/index.js'
import { FAKE_DIGEST, FakeClient, service } from './fakes.js'
import { OCLIF_OPTIONS } from './oclif-options.js'

let client: FakeClient
let stderr: string

beforeEach(() => {
  client = new FakeClient([{ service: service(), tasks: [] }])
  stderr = ''
  vi.spyOn(BaseCommand.prototype, 'client').mockImplementation(() => client as unknown as ManagerClient)
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => { stderr += String(s); return true })
})

afterEach(() => {
  vi.restoreAllMocks()
  process.exitCode = undefined
})

describe('service create of a job', () => {
  test('--mode replicated-job --replicas 5 --max-concurrent 2: the job mode, the image and its command', async () => {
    await ServiceCreate.run(['-d', '--name', 'batch', '--mode', 'replicated-job', '--replicas', '5', '--max-concurrent', '2', 'busybox:1', 'sleep', '2'], OCLIF_OPTIONS)
    expect(stderr).toBe('')
    const spec = client.calls.find((c) => c.method === 'POST')!.opts.body as ServiceSpec
    expect(spec.Mode).toEqual({ ReplicatedJob: { MaxConcurrent: 2, TotalCompletions: 5 } })
    expect(spec.TaskTemplate.ContainerSpec).toMatchObject({ Image: `busybox:1@${FAKE_DIGEST}`, Args: ['sleep', '2'] })
    expect(spec.TaskTemplate.RestartPolicy).toBeUndefined()
  })

  test('--mode global-job with --max-concurrent is refused, nothing sent', async () => {
    await ServiceCreate.run(['--mode', 'global-job', '--max-concurrent', '2', 'busybox:1'], OCLIF_OPTIONS)
    expect(stderr).toBe('Error: max-concurrent can only be used with replicated-job mode\n')
    expect(process.exitCode).toBe(1)
    expect(client.calls.filter((c) => c.method === 'POST')).toEqual([])
  })
})
