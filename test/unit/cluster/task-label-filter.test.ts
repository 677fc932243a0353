// GET /tasks?filters=label=…: matched against the task's service labels, as swarmkit does.
import { describe, expect, it } from 'vitest'
import { filterTasks } from '../../../src/lib/cluster/tasks.js'
import type { Service, Task } from '../../../src/lib/types/index.js'

const service = (ID: string, Labels: Record<string, string>) => ({ ID, Spec: { Name: ID, Labels } }) as unknown as Service
const task = (ID: string, ServiceID: string) => ({ ID, ServiceID, Labels: {}, Slot: 1, DesiredState: 'running' }) as unknown as Task

describe('task label filter', () => {
  const services = [service('s1', { 'com.docker.stack.namespace': 'app' }), service('s2', { other: 'x' })]
  const tasks = [task('t1', 's1'), task('t2', 's2'), task('t3', 'gone')]
  const ids = (label: string) => filterTasks(tasks, new Map([['label', [label]]]), services, () => []).map((t) => t.ID)

  it('finds the tasks of the services that carry the label', () => {
    expect(ids('com.docker.stack.namespace=app')).toEqual(['t1'])
    expect(ids('com.docker.stack.namespace')).toEqual(['t1'])
    expect(ids('other')).toEqual(['t2'])
    expect(ids('com.docker.stack.namespace=nope')).toEqual([])
  })
})
