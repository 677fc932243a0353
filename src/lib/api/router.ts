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
        if (route.method !== m || route.parts.length !== parts.length) continue
        const params: Record<string, string> = {}
        const ok = route.parts.every((p, i) => (p.startsWith(':') ? ((params[p.slice(1)] = parts[i]), true) : p === parts[i]))
        if (ok) return { route, params }
      }
    }
    return undefined
  }
}

/** The path with any /vX.Y prefix removed. */
export function stripVersion(path: string): string {
  return path.replace(/^\/v\d+(\.\d+)?(?=\/)/, '')
}
