// The Engine API versions the manager speaks, as dockerd's version middleware
// and swarm router handle them: a /vX.Y prefix outside [MIN, API_VERSION] is
// refused, and a service spec sent at an older version loses the fields that
// version did not have (adjustForAPIVersion), so an old client's write means
// what it meant to a dockerd of its time.
import { InvalidArgumentError } from '../errors/index.js'
import type { ServiceSpec } from '../types/index.js'

/** The Engine API version this manager speaks: docker 28.2's. */
export const API_VERSION = '1.50'
/** The oldest version it answers, as dockerd 28. */
export const MIN_API_VERSION = '1.24'

/** Orders two "X.Y" versions: negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const [am, an] = a.split('.').map(Number)
  const [bm, bn] = b.split('.').map(Number)
  return am !== bm ? am! - bm! : (an ?? 0) - (bn ?? 0)
}

/**
 * The version a request path asks for (API_VERSION when it has no /vX.Y
 * prefix). Throws InvalidArgumentError (400, dockerd's words) outside the range.
 */
export function requestVersion(pathname: string): string {
  const m = /^\/v(\d+(?:\.\d+)?)(?=\/)/.exec(pathname)
  if (!m) return API_VERSION
  const v = m[1]!
  if (compareVersions(v, MIN_API_VERSION) < 0) {
    throw new InvalidArgumentError(`client version ${v} is too old. Minimum supported API version is ${MIN_API_VERSION}, please upgrade your client to a newer version`)
  }
  if (compareVersions(v, API_VERSION) > 0) {
    throw new InvalidArgumentError(`client version ${v} is too new. Maximum supported API version is ${API_VERSION}`)
  }
  return v
}

/** Drops, in place, the service fields `version` did not have (those tsw honours), as dockerd does on create and update. */
export function adjustSpecForVersion(spec: ServiceSpec, version: string): void {
  const c = spec.TaskTemplate.ContainerSpec
  // Healthcheck.StartInterval came with API 1.44, ContainerSpec.OomScoreAdj with 1.46.
  if (compareVersions(version, '1.44') < 0 && c.Healthcheck) delete c.Healthcheck.StartInterval
  if (compareVersions(version, '1.46') < 0) delete c.OomScoreAdj
}
