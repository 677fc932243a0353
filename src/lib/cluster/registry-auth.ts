// Registry credentials of a service, as swarm keeps them: the X-Registry-Auth
// a client sends with --with-registry-auth goes into the task template's
// ContainerSpec.PullOptions.RegistryAuth, so every task (and every engine's
// pull) has them; an update without the header keeps the ones the service
// has (registryAuthFrom=spec, or previous-spec). They are never in API output.
import { InvalidArgumentError } from '../errors/index.js'
import type { Service, ServiceSpec, Task } from '../types/index.js'

/** The request header that carries the credentials (base64url JSON, as dockerd takes it). */
export const REGISTRY_AUTH_HEADER = 'x-registry-auth'

/**
 * Puts the credentials into `spec`: the header's when one was sent, else the
 * current service's (`from` "spec"/"" or "previous-spec"). Throws
 * InvalidArgumentError for another `from`, or previous-spec without one.
 */
export function applyRegistryAuth(spec: ServiceSpec, header: string | undefined, current?: Service, from = ''): void {
  const c = spec.TaskTemplate.ContainerSpec
  if (header) {
    c.PullOptions = { RegistryAuth: header }
    return
  }
  if (!current) return
  let source: ServiceSpec | undefined
  if (from === '' || from === 'spec') source = current.Spec
  else if (from === 'previous-spec') {
    if (!current.PreviousSpec) throw new InvalidArgumentError('service does not have a previous spec')
    source = current.PreviousSpec
  } else throw new InvalidArgumentError('unsupported registryAuthFrom value')
  const kept = source.TaskTemplate.ContainerSpec.PullOptions
  if (kept?.RegistryAuth) c.PullOptions = { ...kept }
  else delete c.PullOptions
}

function withoutAuth(spec: ServiceSpec): ServiceSpec {
  if (!spec.TaskTemplate?.ContainerSpec?.PullOptions) return spec
  const { PullOptions: _hidden, ...container } = spec.TaskTemplate.ContainerSpec
  return { ...spec, TaskTemplate: { ...spec.TaskTemplate, ContainerSpec: container } }
}

/** A service as the API shows it: without registry credentials. */
export function publicService(s: Service): Service {
  return { ...s, Spec: withoutAuth(s.Spec), ...(s.PreviousSpec ? { PreviousSpec: withoutAuth(s.PreviousSpec) } : {}) }
}

/** A task as the API shows it: without registry credentials. */
export function publicTask(t: Task): Task {
  if (!t.Spec?.ContainerSpec?.PullOptions) return t
  const { PullOptions: _hidden, ...container } = t.Spec.ContainerSpec
  return { ...t, Spec: { ...t.Spec, ContainerSpec: container } }
}
