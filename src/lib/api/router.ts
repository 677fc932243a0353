// A minimal router: METHOD + path pattern (":name" segments) → handler.
// Versioned paths (/v1.41/nodes) reach the same handler as unversioned ones.
import type { ApiRequest, ApiResponse } from './http.js'

export type Handler = (req: ApiRequest) => Promise<ApiResponse> | ApiResponse

interface Route {
  method: string
  parts: string[]
  handler: Handler
  open: boolean
}

export class Router {
  private readonly routes: Route[] = []

  /** Adds a route; `open` routes need no client certificate. */
  add(method: string, pattern: string, handler: Handler, open = false): this {
    this.routes.push({ method, parts: pattern.split('/').filter(Boolean), handler, open })
    return this
  }

  /** The route and its params for a request, or undefined. HEAD matches GET. */
  match(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent)
    const wanted = method === 'HEAD' ? ['HEAD', 'GET'] : [method]
    for (const m of wanted) {
      for (const route of this.routes) {
        if (route.method !== m) continue
        const params = matchParts(route.parts, parts)
        if (params) return { route, params }
      }
    }
    return undefined
  }
}

// ":name" matches one segment, "*" one or more (image names have slashes).
function matchParts(pattern: string[], parts: string[]): Record<string, string> | undefined {
  const star = pattern.indexOf('*')
  if (star < 0 && pattern.length !== parts.length) return undefined
  if (star >= 0 && parts.length < pattern.length) return undefined
  const params: Record<string, string> = {}
  const tail = pattern.length - star - 1
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]
    if (p === '*') {
      params['*'] = parts.slice(i, parts.length - tail).join('/')
      continue
    }
    const part = star >= 0 && i > star ? parts[parts.length - (pattern.length - i)] : parts[i]
    if (p.startsWith(':')) params[p.slice(1)] = part
    else if (p !== part) return undefined
  }
  return params
}

/** The path with any /vX.Y prefix removed. */
export function stripVersion(path: string): string {
  return path.replace(/^\/v\d+(\.\d+)?(?=\/)/, '')
}
