// Lists merged across engines: GET /containers/json (names prefixed with their
// node, "/node02/web", as classic swarm showed them) and GET /images/json.
// Each engine is asked with the client's own query (all, filters, size…); an
// engine that cannot be reached is skipped.

import { TswError, UnavailableError } from '../errors/index.js'
import { engineJson } from '../engine/http.js'
import { LABEL_HELPER as NETWORK_HELPER_LABEL } from '../network/labels.js'
import { nodeName, type Target } from './members.js'
import type { ListedContainer, ListedImage } from './state.js'

/** Every target's answer to path, in target order; unreachable engines are left out, other errors thrown. */
export async function fromEvery<T>(targets: Target[], path: string): Promise<Array<{ target: Target; value: T }>> {
  const answers = await Promise.allSettled(targets.map((t) => engineJson<T>(t.conn, 'GET', path)))
  const out: Array<{ target: Target; value: T }> = []
  answers.forEach((a, i) => {
    if (a.status === 'fulfilled') out.push({ target: targets[i]!, value: a.value })
    else if (!(a.reason instanceof UnavailableError)) throw a.reason instanceof TswError ? a.reason : new UnavailableError(String(a.reason))
  })
  return out
}

/** GET /containers/json of every engine, merged newest first, names prefixed with the node; ?limit applies to the merge. */
export async function listContainers(targets: Target[], prefix: string, query: URLSearchParams): Promise<ListedContainer[]> {
  const search = query.toString()
  const lists = await fromEvery<ListedContainer[]>(targets, `${prefix}/containers/json${search ? `?${search}` : ''}`)
  // tsw's own network helpers are the swarm's plumbing, not the user's containers.
  const merged = lists.flatMap(({ target, value }) => value.filter((c) => !c.Labels?.[NETWORK_HELPER_LABEL]).map((c) => ({
    ...c,
    Names: (c.Names ?? []).map((n) => `/${nodeName(target.node)}${n.startsWith('/') ? n : `/${n}`}`),
  })))
  merged.sort((a, b) => (b.Created ?? 0) - (a.Created ?? 0) || a.Id.localeCompare(b.Id))
  const limit = Number(query.get('limit') ?? '')
  return Number.isInteger(limit) && limit > 0 ? merged.slice(0, limit) : merged
}

/** GET /images/json of every engine, one entry per image ID (tags and digests united, container counts summed), newest first. */
export async function listImages(targets: Target[], prefix: string, query: URLSearchParams): Promise<ListedImage[]> {
  const search = query.toString()
  const lists = await fromEvery<Array<ListedImage & { Created?: number; Containers?: number }>>(targets, `${prefix}/images/json${search ? `?${search}` : ''}`)
  const byId = new Map<string, ListedImage & { Created?: number; Containers?: number }>()
  for (const { value } of lists) {
    for (const image of value) {
      const have = byId.get(image.Id)
      if (!have) {
        byId.set(image.Id, { ...image })
        continue
      }
      have.RepoTags = union(have.RepoTags, image.RepoTags)
      have.RepoDigests = union(have.RepoDigests, image.RepoDigests)
      if ((have.Containers ?? -1) >= 0 && (image.Containers ?? -1) >= 0) have.Containers! += image.Containers!
    }
  }
  return [...byId.values()].sort((a, b) => (b.Created ?? 0) - (a.Created ?? 0))
}

function union(a: string[] | null | undefined, b: string[] | null | undefined): string[] | null {
  if (!a && !b) return a ?? b ?? null
  return [...new Set([...(a ?? []), ...(b ?? [])])]
}
