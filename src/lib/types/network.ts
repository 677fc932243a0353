import type { Labels, StoredObject } from './common.js'

export interface IpamConfig {
  Subnet: string
  Gateway?: string
  IPRange?: string
}

/**
 * A swarm-scoped network, as GET /networks and GET /networks/{id} return it
 * (docker's NetworkResource: Name, Id, Created, Scope, Driver, IPAM…), plus the
 * store's ID/Version/timestamps and tsw's own allocation state under `Tsw`.
 */
export interface Network extends StoredObject {
  Name: string
  /** Same as ID (docker spells it Id). */
  Id: string
  Created: string
  Scope: 'swarm'
  Driver: 'overlay'
  EnableIPv6: boolean
  IPAM: { Driver: 'default'; Options: Record<string, string> | null; Config: IpamConfig[] }
  Internal: boolean
  Attachable: boolean
  Ingress: boolean
  ConfigFrom: { Network: string }
  ConfigOnly: boolean
  Containers: Record<string, unknown>
  Options: Record<string, string>
  Labels: Labels
  /** tsw's allocation state (not in docker's shape; clients ignore it). */
  Tsw: NetworkAllocation
}

export interface NetworkAllocation {
  /** The VXLAN network identifier (4096 and up; ingress is 4096). */
  Vni: number
  /** Per node: the address its bridge holds in this network (its gateway, and the source of its NAT). */
  NodeAddresses: Record<string, string>
}

/** POST /networks/create body, as the docker CLI sends it. */
export interface NetworkCreateRequest {
  Name: string
  Driver?: string
  Scope?: string
  CheckDuplicate?: boolean
  Internal?: boolean
  Attachable?: boolean
  Ingress?: boolean
  EnableIPv6?: boolean
  IPAM?: { Driver?: string; Options?: Record<string, string>; Config?: IpamConfig[] }
  Options?: Record<string, string>
  Labels?: Labels
}
