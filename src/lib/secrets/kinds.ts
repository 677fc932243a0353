// The two kinds of payload object a swarm keeps for its services: secrets
// (sealed at rest, never shown) and configs (plain, shown by inspect). Both share
// swarmkit's rules (manager/controlapi/secret.go, config.go); these are what differ.

/** 'secret' or 'config': also the store kind. */
export type PayloadKind = 'secret' | 'config'

/** What differs between secrets and configs. */
export interface KindRules {
  kind: PayloadKind
  /** swarmkit's MaxSecretSize / MaxConfigSize: the payload must be shorter. */
  maxBytes: number
  /** Whether the store keeps the payload sealed (and inspect hides it). */
  sealed: boolean
}

export const SECRET_RULES: KindRules = { kind: 'secret', maxBytes: 500 * 1024, sealed: true }
export const CONFIG_RULES: KindRules = { kind: 'config', maxBytes: 1000 * 1024, sealed: false }

/** The rules of a kind. */
export const rulesOf = (kind: PayloadKind): KindRules => (kind === 'secret' ? SECRET_RULES : CONFIG_RULES)

/** The filter keys dockerd accepts for GET /secrets and /configs (daemon/cluster/filters.go). */
export const PAYLOAD_FILTERS = ['id', 'name', 'names', 'label']

/** swarmkit's isValidConfigOrSecretName. */
export const PAYLOAD_NAME_RE = /^[a-zA-Z0-9]+(?:[a-zA-Z0-9-_.]*[a-zA-Z0-9])?$/

/** gRPC errors as dockerd passes them on from swarmkit. */
export const rpc = (code: string, desc: string): string => `rpc error: code = ${code} desc = ${desc}`
