// The engine record the store keeps beside each node (kind 'engine', the
// node's ID): how to reach the engine, and what the engine says of itself as a
// node's Description.
import type { EngineInfo, EngineRef, NodeDescription, StoredObject } from '../types/index.js'

/** How the manager reaches a node's engine, stored under the node's ID. */
export interface StoredEngine extends StoredObject {
  Ref: EngineRef
  /** The engine's own ID (from its /info), to spot the same engine joining twice. */
  EngineID: string
  /** Set when the node left the swarm: its engine is no longer watched. */
  Left?: boolean
}

/** The Description of a node, from its engine's /info. */
export function describeEngine(info: EngineInfo): NodeDescription {
  return {
    Hostname: info.Hostname,
    Platform: { Architecture: info.Architecture, OS: info.OS },
    Resources: {
      NanoCPUs: info.NCPU * 1e9, MemoryBytes: info.MemTotal,
      ...(info.GenericResources?.length ? { GenericResources: info.GenericResources } : {}),
    },
    Engine: { EngineVersion: info.ServerVersion, ...(Object.keys(info.Labels).length ? { Labels: info.Labels } : {}) },
  }
}

/** The engine record stored beside a node. */
export function newEngineRecord(id: string, ref: EngineRef, info: EngineInfo): StoredEngine {
  // An ssh:// engine's host key is pinned as first seen (unless the caller gave one).
  const pinned = ref.URL.startsWith('ssh://') && info.SSHHostKey && !ref.SSHHostKey ? { ...ref, SSHHostKey: info.SSHHostKey } : ref
  return { ID: id, Version: { Index: 0 }, CreatedAt: '', UpdatedAt: '', Ref: pinned, EngineID: info.ID }
}
