// Secrets and configs as the Docker Engine API shows them (api/types/swarm/secret.go, config.go).
import type { Labels, StoredObject } from './common.js'

/** What a client sends to create one, and what inspect shows (Data: base64, configs only). */
export interface SecretSpec {
  Name: string
  Labels?: Labels
  /** base64 of the payload, as the API carries []byte. */
  Data?: string
  Driver?: { Name: string; Options?: Record<string, string> }
  Templating?: { Name: string; Options?: Record<string, string> }
}

/** A secret (or config) as GET /secrets (/configs) returns it. */
export interface Secret extends StoredObject {
  Spec: SecretSpec
}

/** The file a secret or config becomes in a task's container. */
export interface ReferenceFileTarget {
  Name: string
  UID: string
  GID: string
  /** A file mode, decimal in JSON (0444 = 292). */
  Mode: number
}

/** A service's reference to a secret: ContainerSpec.Secrets[]. */
export interface SecretReference {
  File?: ReferenceFileTarget
  SecretID: string
  SecretName: string
}

/** A service's reference to a config: ContainerSpec.Configs[]. */
export interface ConfigReference {
  File?: ReferenceFileTarget
  /** docker 20.10+: a config as the container's credential spec; not supported by tsw. */
  Runtime?: Record<string, never>
  ConfigID: string
  ConfigName: string
}
