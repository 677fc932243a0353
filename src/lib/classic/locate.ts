// Which engine has a container or an exec instance. Stateless: every lookup
// asks the ready engines (in parallel, with a deadline), so a restarted
// manager finds every container again. A container is named as dockerd names
// it (full ID, ID prefix, name) or as classic swarm showed it, "node02/web".

import { InvalidArgumentError, NotFoundError, TswError } from '../errors/index.js'
import { engineJson } from '../engine/http.js'
import { namesNode, nodeName, type Target } from './members.js'

/** A container's inspect answer (the fields used here; the rest is passed on as is). */
export interface InspectedContainer {
  Id: string
  Name: string
  [key: string]: unknown
}

/** Where a container is, and its inspect answer. */
export interface Located {
  target: Target
  container: InspectedContainer
}

/**
 * The container ref names, on whichever ready engine has it. Ranked as dockerd
 * does: a full ID, then an exact name, then an ID prefix. Throws NotFoundError
 * "No such container: ref" (dockerd's words), or InvalidArgumentError when ref
 * is ambiguous across engines.
 */
export async function locateContainer(targets: Target[], ref: string): Promise<Located> {
  let name = ref
  let candidates = targets
  const slash = ref.indexOf('/')
  if (slash > 0) {
    // "node02/web": docker names never hold a "/", so the part before it is the node.
    const node = ref.slice(0, slash)
    name = ref.slice(slash + 1)
    candidates = targets.filter((t) => namesNode(t.node, node))
  }
  name = name.replace(/^\//, '')
  if (!name) throw new NotFoundError(`No such container: ${ref}`)
  const found = await askAll(candidates, (t) => engineJson<InspectedContainer>(t.conn, 'GET', `/containers/${encodeURIComponent(name)}/json`))
  if (found.length === 0) throw new NotFoundError(`No such container: ${ref}`)
  if (found.length === 1) return { target: found[0]!.target, container: found[0]!.value }
  const rank = (c: InspectedContainer) => (c.Id === name ? 0 : c.Name === `/${name}` ? 1 : 2)
  const best = Math.min(...found.map((f) => rank(f.value)))
  const top = found.filter((f) => rank(f.value) === best)
  if (top.length > 1) {
    const where = top.map((f) => nodeName(f.target.node)).join(', ')
    throw new InvalidArgumentError(`${ref} names containers on several nodes (${where}): use NODE/NAME or a longer ID`)
  }
  return { target: top[0]!.target, container: top[0]!.value }
}

/** The engine that knows exec instance id; throws NotFoundError "No such exec instance: id" when none does. */
export async function locateExec(targets: Target[], id: string): Promise<Target> {
  const found = await askAll(targets, (t) => engineJson<unknown>(t.conn, 'GET', `/exec/${encodeURIComponent(id)}/json`))
  if (found.length === 0) throw new NotFoundError(`No such exec instance: ${id}`)
  return found[0]!.target
}

/**
 * Asks every target in parallel; keeps the answers. 404s and unreachable
 * engines are skipped (a down engine cannot have it as far as we can tell);
 * any other error answer is the engine's to report, and is thrown.
 */
async function askAll<T>(targets: Target[], ask: (t: Target) => Promise<T>): Promise<Array<{ target: Target; value: T }>> {
  const answers = await Promise.allSettled(targets.map(ask))
  const found: Array<{ target: Target; value: T }> = []
  answers.forEach((a, i) => {
    if (a.status === 'fulfilled') found.push({ target: targets[i]!, value: a.value })
    else if (a.reason instanceof TswError && a.reason.status !== 404 && a.reason.status !== 503) throw a.reason
  })
  return found
}
