// A compose file once loaded: parsed, interpolated, validated and normalized
// (short syntaxes in their long form), so merging and conversion see one shape.

export type Dict = Record<string, unknown>

export interface PortEntry { target: number; published?: number; protocol: 'tcp' | 'udp' | 'sctp'; mode: 'ingress' | 'host'; name?: string }

export interface VolumeEntry {
  type: 'bind' | 'volume' | 'tmpfs' | 'npipe' | 'cluster'
  source?: string
  target: string
  read_only?: boolean
  bind?: { propagation?: string }
  volume?: { nocopy?: boolean }
  tmpfs?: { size?: number | string; mode?: number }
}

export interface FileRef { source: string; target?: string; uid?: string; gid?: string; mode?: number }

/** One service, normalized: maps for environment/labels/sysctls/networks, long forms for ports, volumes, secrets, configs. */
export interface ComposeService extends Dict {
  image?: string
  command?: string | string[] | null
  entrypoint?: string | string[] | null
  environment?: Record<string, string | null>
  env_file?: string[]
  labels?: Record<string, string>
  ports?: PortEntry[]
  volumes?: VolumeEntry[]
  secrets?: FileRef[]
  configs?: FileRef[]
  networks?: Record<string, { aliases?: string[]; driver_opts?: Record<string, string> } | null>
  sysctls?: Record<string, string>
  tmpfs?: string[]
  deploy?: Dict & { labels?: Record<string, string> }
}

export interface ComposeNetwork { name?: string; driver?: string; driver_opts?: Record<string, string>; external?: boolean; internal?: boolean; attachable?: boolean; labels?: Record<string, string>; ipam?: { driver?: string; config?: Array<{ subnet?: string; gateway?: string; ip_range?: string }> } }
export interface ComposeVolume { name?: string; driver?: string; driver_opts?: Record<string, string>; external?: boolean; labels?: Record<string, string> }
export interface ComposeFileObject { name?: string; file?: string; environment?: string; content?: string; external?: boolean; labels?: Record<string, string>; driver?: string; template_driver?: string }

/** The merged compose configuration of one or more files. */
export interface ComposeConfig {
  version: string
  services: Record<string, ComposeService>
  networks: Record<string, ComposeNetwork>
  volumes: Record<string, ComposeVolume>
  secrets: Record<string, ComposeFileObject>
  configs: Record<string, ComposeFileObject>
  /** The folder relative paths (env_file, bind sources, secret files) are read from: the first file's. */
  workingDir: string
}
