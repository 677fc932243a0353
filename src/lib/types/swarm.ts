import type { Labels, StoredObject } from './common.js'

export interface SwarmSpec {
  Name: string
  Labels: Labels
  Orchestration: { TaskHistoryRetentionLimit: number }
  Raft: {
    SnapshotInterval: number
    KeepOldSnapshots: number
    LogEntriesForSlowFollowers: number
    ElectionTick: number
    HeartbeatTick: number
  }
  Dispatcher: { HeartbeatPeriod: number }
  CAConfig: {
    /** Validity of node certificates, nanoseconds. */
    NodeCertExpiry: number
    /** Bumped to ask for a root CA rotation (docker swarm ca --rotate). */
    ForceRotate?: number
    /** A root CA to rotate to (sent, never stored or returned). */
    SigningCACert?: string
    SigningCAKey?: string
    ExternalCAs?: unknown[]
  }
  TaskDefaults: Record<string, unknown>
  EncryptionConfig: { AutoLockManagers: boolean }
}

export interface JoinTokens {
  Worker: string
  Manager: string
}

export interface TLSInfo {
  TrustRoot: string
  CertIssuerSubject: string
  CertIssuerPublicKey: string
}

/** The cluster object, as GET /swarm returns it (JoinTokens included). */
export interface Swarm extends StoredObject {
  Spec: SwarmSpec
  TLSInfo: TLSInfo
  RootRotationInProgress: boolean
  DefaultAddrPool: string[]
  SubnetSize: number
  DataPathPort: number
  JoinTokens: JoinTokens
}
