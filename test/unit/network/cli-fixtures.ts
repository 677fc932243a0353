// The networks the docker goldens in cli-golden/ were captured with, and a fake manager
// client that serves them as the API contract says (404/409/403 with {message}).
import { readFileSync } from 'node:fs'
import { ApiError } from '../../../src/lib/client/client.js'
import type { RequestOptions } from '../../../src/lib/client/client.js'
import type { Network } from '../../../src/lib/types/index.js'

const dir = new URL('./cli-golden/', import.meta.url)

/** A golden file's text ('' when it does not exist: docker printed nothing). */
export function golden(name: string): string {
  try {
    return readFileSync(new URL(name, dir), 'utf8')
  } catch {
    return ''
  }
}

/** The captured API answer of GET /networks (docker's shape, as dockerd sends it). */
export const NETWORKS = JSON.parse(golden('api-networks.json')) as Network[]

export interface Call { method: string; path: string; opts: RequestOptions }

export class FakeNetworkClient {
  calls: Call[] = []
  networks: Network[] = structuredClone(NETWORKS)

  private find(ref: string): Network {
    const n = this.networks.find((x) => x.Id === ref || x.Name === ref) ?? this.networks.find((x) => x.Id.startsWith(ref))
    if (!n) throw new ApiError(`network ${ref} not found`, 404)
    return n
  }

  async get<T>(path: string, opts: RequestOptions = {}): Promise<T> {
    this.calls.push({ method: 'GET', path, opts })
    if (path === '/networks') return structuredClone(this.networks) as T
    if (path.startsWith('/networks/')) return structuredClone(this.find(decodeURIComponent(path.slice(10)))) as T
    throw new ApiError(`no route ${path}`, 404)
  }

  async post<T>(path: string, opts: RequestOptions = {}): Promise<T> {
    this.calls.push({ method: 'POST', path, opts })
    const name = (opts.body as { Name: string }).Name
    if (this.networks.some((n) => n.Name === name)) throw new ApiError(`network with name ${name} already exists`, 409)
    return { Id: 'newnetid0000000000000000a', Warning: '' } as T
  }

  async delete<T>(path: string, opts: RequestOptions = {}): Promise<T> {
    this.calls.push({ method: 'DELETE', path, opts })
    const n = this.find(decodeURIComponent(path.slice(10)))
    if (n.Name === 'busy') throw new ApiError(`rpc error: code = FailedPrecondition desc = network ${n.Id} is in use by service svc123`, 403)
    return undefined as T
  }
}
