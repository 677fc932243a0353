// Real docker outputs captured from docker CLI 28.2 against a Docker 20.10 swarm on the lab
// (see golden/README.md), with the API answers they were made from.
import { readFileSync } from 'node:fs'
import type { Node, Service, Task } from '../../../src/lib/types/index.js'

const dir = new URL('./golden/', import.meta.url)

/** A golden file's text ('' when docker printed nothing). */
export function golden(name: string): string {
  return readFileSync(new URL(name, dir), 'utf8')
}

/** A captured API answer. */
export function api<T>(name: string): T {
  return JSON.parse(golden(name)) as T
}

/** A captured binary stream. */
export function bin(name: string): Buffer {
  return readFileSync(new URL(name, dir))
}

export const services = api<Service[]>('api-services.json')
export const tasks = api<Task[]>('api-tasks.json')
export const nodes = api<Node[]>('api-nodes.json')

/** When docker printed a captured command's output: the end of the window (ms) around it (it prints last). */
export function ranAt(name: string): number {
  const line = golden('commands.txt').split('\n').find((l) => l.startsWith(name + ' '))
  if (!line) throw new Error(`no command ${name} in golden/commands.txt`)
  const [, , t1] = line.split(' ')
  return Number(t1)
}

/** The ID of the captured service with this name. */
export function serviceId(name: string): string {
  const s = services.find((x) => x.Spec.Name === name)
  if (!s) throw new Error(`no service ${name}`)
  return s.ID
}
