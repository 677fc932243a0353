import type { Labels, StoredObject } from './common.js'
import type { ConfigReference, SecretReference } from './secret.js'

/** Durations in the API are nanoseconds. */
export type Nanoseconds = number

export interface Mount {
  /** npipe (Windows) and cluster (CSI volumes) are API types tsw refuses. */
  Type: 'bind' | 'volume' | 'tmpfs' | 'npipe' | 'cluster'
  Source?: string
  Target: string
  ReadOnly?: boolean
  Consistency?: string
  VolumeOptions?: { NoCopy?: boolean; Labels?: Labels; DriverConfig?: { Name?: string; Options?: Record<string, string> }; Subpath?: string }
  BindOptions?: {
    Propagation?: string
    NonRecursive?: boolean
    CreateMountpoint?: boolean
    ReadOnlyNonRecursive?: boolean
    ReadOnlyForceRecursive?: boolean
  }
  TmpfsOptions?: { SizeBytes?: number; Mode?: number; Options?: string[][] }
}

export interface HealthConfig {
  Test?: string[]
  Interval?: Nanoseconds
  Timeout?: Nanoseconds
  Retries?: number
  StartPeriod?: Nanoseconds
  StartInterval?: Nanoseconds
}

export interface Ulimit {
  Name: string
  Soft: number
  Hard: number
}

/** ContainerSpec.Privileges: security options of the container. */
export interface Privileges {
  /** Windows only: refused. */
  CredentialSpec?: { Config?: string; File?: string; Registry?: string } | null
  SELinuxContext?: { Disable?: boolean; User?: string; Role?: string; Type?: string; Level?: string } | null
  /** Profile: the JSON profile (base64 in the API, as Go encodes []byte) for Mode custom. */
  Seccomp?: { Mode?: 'default' | 'unconfined' | 'custom'; Profile?: string } | null
  AppArmor?: { Mode?: 'default' | 'disabled' } | null
  NoNewPrivileges?: boolean
}

/** ContainerSpec.DNSConfig: the container's resolv.conf. */
export interface DNSConfig {
  Nameservers?: string[]
  Search?: string[]
  Options?: string[]
}

/** A generic resource: a node advertises named or discrete ones; a task reserves discrete ones. */
export interface GenericResource {
  NamedResourceSpec?: { Kind: string; Value: string }
  DiscreteResourceSpec?: { Kind: string; Value: number }
}

export interface ContainerSpec {
  Image: string
  Labels?: Labels
  Command?: string[]
  Args?: string[]
  Hostname?: string
  Env?: string[]
  Dir?: string
  User?: string
  /** Supplementary groups of the user (HostConfig.GroupAdd). */
  Groups?: string[]
  Privileges?: Privileges
  OpenStdin?: boolean
  Mounts?: Mount[]
  StopGracePeriod?: Nanoseconds
  StopSignal?: string
  Healthcheck?: HealthConfig
  /** Swarm's format, one entry per address: "IP_address canonical_hostname [aliases...]". */
  Hosts?: string[]
  DNSConfig?: DNSConfig
  OomScoreAdj?: number
  /** Only "default" on Linux engines. */
  Isolation?: string
  /**
   * The X-Registry-Auth a client sent with --with-registry-auth, as swarmkit
   * keeps it (ContainerSpec.PullOptions). Never in API output: the API strips it.
   */
  PullOptions?: { RegistryAuth?: string }
  CapabilityAdd?: string[]
  CapabilityDrop?: string[]
  Sysctls?: Record<string, string>
  Ulimits?: Ulimit[]
  Init?: boolean
  TTY?: boolean
  ReadOnly?: boolean
  /** tsw extension (swarm mode lacks it, moby/moby#24862): run the container privileged. */
  Privileged?: boolean
  /** tsw extension (moby/swarmkit#1244): host devices, "/dev/x[:/dev/y[:rwm]]". */
  Devices?: string[]
  /** Files in the task's container: secrets at /run/secrets/<target>, configs at their target. */
  Secrets?: SecretReference[]
  Configs?: ConfigReference[]
}

export interface ResourceSet {
  NanoCPUs?: number
  MemoryBytes?: number
  /** Limits only: the most processes (HostConfig.PidsLimit); 0 = unlimited. */
  Pids?: number
  /** Reservations only: discrete generic resources the task needs on its node. */
  GenericResources?: GenericResource[]
}

export interface RestartPolicy {
  Condition?: 'none' | 'on-failure' | 'any'
  Delay?: Nanoseconds
  MaxAttempts?: number
  Window?: Nanoseconds
}

export interface PlacementPreference {
  Spread: { SpreadDescriptor: string }
}

export interface Placement {
  Constraints?: string[]
  Preferences?: PlacementPreference[]
  MaxReplicas?: number
  Platforms?: Array<{ Architecture?: string; OS?: string }>
}

export interface NetworkAttachmentConfig {
  Target: string
  Aliases?: string[]
  DriverOpts?: Record<string, string>
}

export interface TaskSpec {
  ContainerSpec: ContainerSpec
  Resources?: { Limits?: ResourceSet; Reservations?: ResourceSet }
  RestartPolicy?: RestartPolicy
  Placement?: Placement
  Networks?: NetworkAttachmentConfig[]
  LogDriver?: { Name: string; Options?: Record<string, string> }
  /** Bumped by `service update --force` to replace every task. */
  ForceUpdate?: number
  Runtime?: string
  /** Plugin and network-attachment tasks: refused (tsw runs containers only). */
  PluginSpec?: unknown
  NetworkAttachmentSpec?: unknown
}

export interface UpdateConfig {
  Parallelism?: number
  Delay?: Nanoseconds
  FailureAction?: 'pause' | 'continue' | 'rollback'
  Monitor?: Nanoseconds
  MaxFailureRatio?: number
  Order?: 'stop-first' | 'start-first'
}

export interface PortConfig {
  Name?: string
  Protocol?: 'tcp' | 'udp' | 'sctp'
  TargetPort: number
  PublishedPort?: number
  PublishMode?: 'ingress' | 'host'
}

export interface EndpointSpec {
  Mode?: 'vip' | 'dnsrr'
  Ports?: PortConfig[]
}

export interface ServiceMode {
  Replicated?: { Replicas?: number }
  Global?: Record<string, never>
  /** A job: TotalCompletions tasks run to completion, at most MaxConcurrent at once. */
  ReplicatedJob?: { MaxConcurrent?: number; TotalCompletions?: number }
  /** A job: one task per eligible node runs to completion. */
  GlobalJob?: Record<string, never>
}

/** A job's run: `service update` of a job starts a new iteration (its tasks run again). */
export interface JobStatus {
  JobIteration: { Index: number }
  /** When the current iteration started. */
  LastExecution?: string
}

export interface ServiceSpec {
  Name: string
  Labels?: Labels
  TaskTemplate: TaskSpec
  Mode?: ServiceMode
  UpdateConfig?: UpdateConfig
  RollbackConfig?: UpdateConfig
  EndpointSpec?: EndpointSpec
  /** Deprecated in the API (moved to TaskTemplate.Networks) but still sent by old clients. */
  Networks?: NetworkAttachmentConfig[]
}

export interface UpdateStatus {
  State: 'updating' | 'paused' | 'completed' | 'rollback_started' | 'rollback_paused' | 'rollback_completed'
  StartedAt?: string
  CompletedAt?: string
  Message: string
}

/** A service, exactly as GET /services returns it. */
export interface Service extends StoredObject {
  Spec: ServiceSpec
  PreviousSpec?: ServiceSpec
  Endpoint?: { Spec: EndpointSpec; Ports?: PortConfig[]; VirtualIPs?: Array<{ NetworkID: string; Addr: string }> }
  UpdateStatus?: UpdateStatus
  /** Jobs only. */
  JobStatus?: JobStatus
  /** Only on GET /services?status=true. */
  ServiceStatus?: { RunningTasks: number; DesiredTasks: number; CompletedTasks: number }
}
