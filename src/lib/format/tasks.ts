// The task table `service ps` and `node ps` share, as docker/cli prints it (cli/command/task/print.go, formatter.go).
import type { Node, Service, Task } from '../types/index.js'
import { humanDuration, timeMillis, timeNanos } from './durations.js'
import { listFormat } from './list.js'
import { renderRows } from './rows.js'
import { displayImage, ellipsis, naturalCompare, prettyPrint, truncateId } from './strings.js'

export const TASK_TABLE = 'table {{.ID}}\t{{.Name}}\t{{.Image}}\t{{.Node}}\t{{.DesiredState}}\t{{.CurrentState}}\t{{.Error}}\t{{.Ports}}'
export const TASK_HEADERS = {
  ID: 'ID', Name: 'NAME', Image: 'IMAGE', Node: 'NODE', DesiredState: 'DESIRED STATE',
  CurrentState: 'CURRENT STATE', Error: 'ERROR', Ports: 'PORTS',
}

/** docker cuts task errors to this many columns unless --no-trunc. */
const MAX_ERR_LENGTH = 30

/** How IDs become names in the table (docker's idresolver). */
export interface TaskNames {
  service(id: string): string
  node(id: string): string
}

/**
 * Names from the service and node lists: a service by its name, a node by its spec name or
 * hostname; unknown IDs (and every ID with `noResolve`) stay IDs, an empty node ID stays empty.
 */
export function taskNames(services: Array<Pick<Service, 'ID' | 'Spec'>>, nodes: Array<Pick<Node, 'ID' | 'Spec' | 'Description'>>, noResolve = false): TaskNames {
  if (noResolve) return { service: (id) => id, node: (id) => id }
  const svc = new Map(services.map((s) => [s.ID, s.Spec.Name]))
  const nodeNames = new Map(nodes.map((n) => [n.ID, n.Spec?.Name || n.Description?.Hostname || n.ID]))
  return { service: (id) => svc.get(id) ?? id, node: (id) => nodeNames.get(id) ?? id }
}

/** A task's name in the table: "web.1" (service name and slot) or, for global services, "web.<node ID>". */
export function taskName(task: Task, names: TaskNames): string {
  const service = names.service(task.ServiceID)
  return task.Slot ? `${service}.${task.Slot}` : `${service}.${task.NodeID ?? ''}`
}

/** Tasks paired with their names in docker's order: names in natural order, each slot's newest task first. */
export function sortTasks(tasks: Task[], names: TaskNames): Array<{ task: Task; name: string }> {
  const named = tasks.map((task) => ({ task, name: taskName(task, names), created: timeNanos(task.CreatedAt) }))
  named.sort((a, b) => (a.name !== b.name ? naturalCompare(a.name, b.name) : a.created > b.created ? -1 : a.created < b.created ? 1 : 0))
  return named.map(({ task, name }) => ({ task, name }))
}

/** The row context of one task (the fields `--format` can use). */
export interface TaskRow {
  ID: string; Name: string; Image: string; Node: string; DesiredState: string; CurrentState: string; Error: string; Ports: string
}

/** Options of the task table: --format, -q, truncation (on unless --no-trunc) and the time now (for "Running 5 seconds ago"). */
export interface TaskListOptions { format?: string; quiet?: boolean; trunc?: boolean; now?: number }

/** "Running 5 seconds ago": the state and how long ago the task's status last changed. */
export function currentState(task: Task, now: number): string {
  return `${prettyPrint(task.Status.State)} ${humanDuration(now - timeMillis(task.Status.Timestamp)).toLowerCase()} ago`
}

/** The error column: quoted, cut to 30 columns when truncating, empty when there is none. */
export function taskError(task: Task, trunc: boolean): string {
  const err = trunc ? ellipsis(task.Status.Err ?? '', MAX_ERR_LENGTH) : task.Status.Err ?? ''
  return err ? `"${err}"` : ''
}

/** Published ports of the task (host mode): "*:8081->80/tcp,*:8082->81/tcp". */
export function taskPorts(task: Task): string {
  return (task.Status.PortStatus?.Ports ?? []).map((p) => `*:${p.PublishedPort ?? 0}->${p.TargetPort}/${p.Protocol ?? ''}`).join(',')
}

/**
 * Rows for tasks in docker's order. In a table, older tasks of a slot are named " \_ web.1"
 * under the newest one.
 */
export function taskRows(tasks: Task[], names: TaskNames, opts: { trunc?: boolean; table?: boolean; now?: number } = {}): TaskRow[] {
  const trunc = opts.trunc ?? true
  const now = opts.now ?? Date.now()
  let prev: string | undefined
  return sortTasks(tasks, names).map(({ task, name }) => {
    const shown = opts.table && name === prev ? ` \\_ ${name}` : name
    prev = name
    const image = task.Spec.ContainerSpec?.Image ?? ''
    return {
      ID: trunc ? truncateId(task.ID) : task.ID,
      Name: shown,
      Image: trunc ? displayImage(image) : image,
      Node: names.node(task.NodeID ?? ''),
      DesiredState: prettyPrint(task.DesiredState),
      CurrentState: currentState(task, now),
      Error: taskError(task, trunc),
      Ports: taskPorts(task),
    }
  })
}

/** The task table (or -q IDs, json, a template) for `service ps` and `node ps`. Throws TemplateError. */
export function renderTasks(tasks: Task[], names: TaskNames, opts: TaskListOptions = {}): string {
  const list = { format: opts.format, quiet: opts.quiet, defaultTable: TASK_TABLE, headers: TASK_HEADERS }
  const table = listFormat(list).startsWith('table')
  return renderRows(taskRows(tasks, names, { trunc: opts.trunc, table, now: opts.now }), list)
}
