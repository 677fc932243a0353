// Secrets and configs of a stack, as docker/cli's convert: the file-backed
// ones are created as STACK_name (labelled) from their file, environment
// variable or content; external ones must exist. Services refer to them by
// name, target (default: the key), uid/gid "0" and mode 0444.
import { readFileSync } from 'node:fs'
import { InvalidArgumentError } from '../../errors/index.js'
import type { Labels } from '../../types/index.js'
import type { Lookup } from '../interpolate.js'
import { scope, withStackLabel } from '../names.js'
import type { ComposeFileObject, ComposeService, FileRef } from '../types.js'

/** POST /secrets/create or /configs/create body: Name, Labels, Data (base64). */
export interface ObjectSpec { Name: string; Labels: Labels; Data: string; Templating?: { Name: string } }

/** A service's reference to a secret or config: where it is mounted, and the object's name (its ID is found at deploy). */
export interface ObjectRef { File: { Name: string; UID: string; GID: string; Mode: number }; Name: string }

export type ObjectKind = 'secret' | 'config'

function objectData(o: ComposeFileObject, kind: ObjectKind, key: string, lookup: Lookup): Buffer {
  if (o.file !== undefined) {
    try {
      return readFileSync(o.file)
    } catch (err) {
      const e = err as NodeJS.ErrnoException
      throw new InvalidArgumentError(`${kind}s.${key}.file: open ${o.file}: ${e.code === 'ENOENT' ? 'no such file or directory' : e.message}`)
    }
  }
  if (o.environment !== undefined) {
    const v = lookup(o.environment)
    if (v === undefined) throw new InvalidArgumentError(`${kind}s.${key}.environment: environment variable ${o.environment} is not set`)
    return Buffer.from(v)
  }
  if (o.content !== undefined) return Buffer.from(o.content)
  throw new InvalidArgumentError(`${kind}s.${key}: needs file, environment, content or external`)
}

/** The specs of the stack's own secrets (or configs), and the names of the external ones. */
export function stackObjects(objects: Record<string, ComposeFileObject>, kind: ObjectKind, stack: string, lookup: Lookup): { create: ObjectSpec[]; external: string[] } {
  const out = { create: [] as ObjectSpec[], external: [] as string[] }
  for (const [key, o] of Object.entries(objects).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (o.external) {
      out.external.push(o.name ?? key)
      continue
    }
    if (o.driver) throw new InvalidArgumentError(`${kind}s.${key}.driver: tsw has no ${kind} drivers: give a file, environment or content`)
    const spec: ObjectSpec = { Name: o.name || scope(stack, key), Labels: withStackLabel(stack, o.labels), Data: objectData(o, kind, key, lookup).toString('base64') }
    if (o.template_driver) spec.Templating = { Name: o.template_driver }
    out.create.push(spec)
  }
  return out
}

/** A service's references to secrets (or configs), sorted by name. Throws InvalidArgumentError on an undefined one. */
export function objectRefs(svc: ComposeService, kind: ObjectKind, objects: Record<string, ComposeFileObject>, stack: string, where: string): ObjectRef[] {
  const refs: FileRef[] = (kind === 'secret' ? svc.secrets : svc.configs) ?? []
  return refs.map((r) => {
    const o = objects[r.source]
    if (!o) throw new InvalidArgumentError(`${where}.${kind}s: undefined ${kind} "${r.source}": declare it under the top-level ${kind}s key`)
    return {
      File: { Name: r.target || r.source, UID: r.uid ?? '0', GID: r.gid ?? '0', Mode: r.mode ?? 0o444 },
      Name: o.name || scope(stack, r.source),
    }
  }).sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0))
}
