// Whether two parts of a service spec mean the same: key order, null or
// absent values, zero values (false, 0, "": unset, as in swarmkit's protobuf
// specs; Init excepted, a pointer there), and empty objects or lists do not count. Different clients
// (docker stack deploy, tsw stack deploy, docker service update) write the same
// spec with such differences; an update that changes nothing must not roll the tasks.

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) {
    const items = v.map(canonical)
    return items.length ? items : undefined
  }
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {}
    for (const k of Object.keys(v).sort()) {
      const raw = (v as Record<string, unknown>)[k]
      const c = k === 'Init' && typeof raw === 'boolean' ? raw : canonical(raw)
      if (c !== undefined) out[k] = c
    }
    return Object.keys(out).length ? out : undefined
  }
  return v === null || v === false || v === 0 || v === '' ? undefined : v
}

/** Whether `a` and `b` are the same spec but for key order, nulls, zero values and empty objects or lists. */
export function sameSpec(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b))
}
