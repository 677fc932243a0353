// Certificate roles: the organisational unit (OU) of a certificate says who holds it.
// Managers and workers have swarmkit's OUs; the admin client certificate has tsw's own.
import type { NodeRole } from '../types/index.js'

/** The OU of the admin client certificate (may do everything). */
export const ADMIN_OU = 'tsw-admin'
/** The OU of managers' certificates (swarmkit's). */
export const MANAGER_OU = 'swarm-manager'
/** The OU of workers' certificates (swarmkit's). */
export const WORKER_OU = 'swarm-worker'

/** The OU of a node's certificate, by its role (as swarmkit's). */
export const roleOU = (role: NodeRole): string => (role === 'manager' ? MANAGER_OU : WORKER_OU)
