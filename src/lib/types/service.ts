import type { Labels, StoredObject } from './common.js'

/** Durations in the API are nanoseconds. */
export type Nanoseconds = number

export interface Mount {
  Type: 'bind' | 'volume' | 'tmpfs'
  Source?: string
  Target: string
  ReadOnly?: boolean
  VolumeOptions?: { NoCopy?: boolean; Labels?: Labels; DriverConfig?: { Name?: string; Options?: Record<string, string> } }
  BindOptions?: { Propagation?: string }
  TmpfsOptions?: { SizeBytes?: number; Mode?: number }
}

export interface HealthConfig {
  Test?: string[]
  Interval?: Nanoseconds
  Timeout?: Nanoseconds
  Retries?: number
  StartPeriod?: Nanoseconds
}

export interface Ulimit {
  Name: string
  Soft: number
  Hard: number
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
  Mounts?: Mount[]
  StopGracePeriod?: Nanoseconds
  StopSignal?: string
  Healthcheck?: HealthConfig
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
}

export interface ResourceSet {
  NanoCPUs?: number
  MemoryBytes?: number
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
