// Service modes at the API: the job modes the docker CLI sends are accepted
// with docker's defaults, mixed or bad modes refused naming the field, and a
// job's status counts only its current iteration (swarmkit's ListServiceStatuses).
import { describe, expect, it } from 'vitest'
import { filterServices, SERVICE_FILTERS, serviceStatus, validateServiceSpec } from '../../../src/lib/cluster/services.js'
import { InvalidArgumentError } from '../../../src/lib/errors/index.js'
import { parseFilters } from '../../../src/lib/filters/parse.js'
import type { Service, Task, TaskState } from '../../../src/lib/types/index.js'

const spec = (Mode: unknown) => ({ Name: 'j', TaskTemplate: { ContainerSpec: { Image: 'busybox' } }, Mode })

describe('validateServiceSpec: modes', () => {
  it('takes ReplicatedJob and GlobalJob, filling MaxConcurrent 1 and TotalCompletions = MaxConcurrent', () => {
    expect(validateServiceSpec(spec({ ReplicatedJob: { MaxConcurrent: 2, TotalCompletions: 5 } })).Mode).toEqual({ ReplicatedJob: { MaxConcurrent: 2, TotalCompletions: 5 } })
    expect(validateServiceSpec(spec({ ReplicatedJob: { MaxConcurrent: 3 } })).Mode).toEqual({ ReplicatedJob: { MaxConcurrent: 3, TotalCompletions: 3 } })
    expect(validateServiceSpec(spec({ ReplicatedJob: {} })).Mode).toEqual({ ReplicatedJob: { MaxConcurrent: 1, TotalCompletions: 1 } })
    expect(validateServiceSpec(spec({ GlobalJob: {} })).Mode).toEqual({ GlobalJob: {} })
  })

  it('refuses two modes at once and bad counts', () => {
    expect(() => validateServiceSpec(spec({ Replicated: { Replicas: 1 }, GlobalJob: {} })))
      .toThrow(new InvalidArgumentError('Mode: only one of Replicated, Global, ReplicatedJob, GlobalJob may be set, not Replicated and GlobalJob'))
    expect(() => validateServiceSpec(spec({ ReplicatedJob: { TotalCompletions: -1 } }))).toThrow('Mode: TotalCompletions must be a whole number >= 0, not -1')
  })
})

describe('serviceStatus of a job', () => {
  const t = (state: TaskState, iteration: number, desired: TaskState = 'complete') =>
    ({ ID: `${state}${iteration}${Math.random()}`, ServiceID: 'j', Status: { State: state }, DesiredState: desired, JobIteration: { Index: iteration } }) as unknown as Task

  it('replicated job: desired is MaxConcurrent, completed counts the current iteration only', () => {
    const s = { ID: 'j', Spec: spec({ ReplicatedJob: { MaxConcurrent: 2, TotalCompletions: 3 } }), JobStatus: { JobIteration: { Index: 1 } } } as unknown as Service
    const tasks = [t('complete', 0), t('complete', 0), t('complete', 1), t('running', 1)]
    expect(serviceStatus(s, tasks, 3)).toEqual({ RunningTasks: 1, DesiredTasks: 2, CompletedTasks: 1 })
  })

  it('global job: desired is its tasks not yet complete', () => {
    const s = { ID: 'j', Spec: spec({ GlobalJob: {} }) } as unknown as Service
    expect(serviceStatus(s, [t('complete', 0), t('running', 0), t('pending', 0)], 3)).toEqual({ RunningTasks: 1, DesiredTasks: 2, CompletedTasks: 1 })
  })
})

describe('filterServices: mode', () => {
  it('takes dockerd\'s four values', () => {
    const of = (name: string, Mode: unknown) => ({ ID: name, Spec: { ...spec(Mode), Name: name } }) as unknown as Service
    const all = [of('r', { Replicated: { Replicas: 1 } }), of('g', { Global: {} }), of('rj', { ReplicatedJob: {} }), of('gj', { GlobalJob: {} })]
    const names = (mode: string) => filterServices(all, parseFilters(JSON.stringify({ mode: [mode] }), SERVICE_FILTERS)).map((s) => s.ID)
    expect(['replicated', 'global', 'replicated-job', 'global-job'].map(names)).toEqual([['r'], ['g'], ['rj'], ['gj']])
  })
})
