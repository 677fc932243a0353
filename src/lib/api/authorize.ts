// Who may do what: the admin client certificate and managers' certificates
// may do everything; a worker's certificate only its own leave and renewal.
import { checkAdminCert } from '../cluster/admin-certs.js'
import { ForbiddenError } from '../errors/index.js'
import type { Store } from '../store/index.js'
import type { Node } from '../types/index.js'
import { ADMIN_OU } from '../pki/roles.js'
import type { ApiRequest, Caller } from './http.js'

/** Decides whether an authenticated caller may use a route; throws ForbiddenError if not. */
export type Authorize = (caller: Caller, req: ApiRequest) => Promise<void>
const NOT_MANAGER = "This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state. Please run this command on a manager node or promote the current node to a manager."

/** The authorisation rule of the manager's API. */
export function authorizer(store: Store): Authorize {
  return async (caller, req) => {
    if (caller.organizationalUnit === ADMIN_OU) {
      // Its own certificate (a forwarded identity was checked by the manager that forwarded it).
      if (caller.serial !== undefined) await checkAdminCert(store, caller.serial, caller.commonName)
      return
    }
    const node = await store.get<Node>('node', caller.commonName)
    if (!node) throw new ForbiddenError(`node ${caller.commonName} is not part of this swarm`)
    if (node.Spec.Role === 'manager') return
    if (req.method === 'POST' && (req.path === '/tsw/leave' || req.path === '/tsw/renew')) return
    throw new ForbiddenError(NOT_MANAGER, 503)
  }
}
