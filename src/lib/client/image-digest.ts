// Pinning a service's image to its digest, as docker's client library does on
// service create/update (imageWithTagString, resolveContainerSpecImage): a
// name-only image gets :latest, then the manager's GET /distribution/{image}/json
// (the registry's descriptor, asked through an engine) turns name:tag into
// name:tag@sha256:… and gives the image's platforms, so every node runs the
// same image. A registry that cannot be reached leaves the image as it is,
// with docker's warning.
import { familiarName } from '../format/strings.js'
import type { TaskSpec } from '../types/index.js'
import type { ManagerClient } from './client.js'

const TAG = /^[\w][\w.-]{0,127}$/
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/

/** An image reference split as distribution/reference parses it (name in familiar form), or undefined when it is not one. */
function parseImage(image: string): { name: string; tag?: string; digest?: string } | undefined {
  const at = image.indexOf('@')
  const digest = at >= 0 ? image.slice(at + 1) : undefined
  if (digest !== undefined && !DIGEST.test(digest)) return undefined
  const named = at >= 0 ? image.slice(0, at) : image
  const colon = named.lastIndexOf(':')
  const tagged = colon > named.lastIndexOf('/')
  const tag = tagged ? named.slice(colon + 1) : undefined
  if (tag !== undefined && !TAG.test(tag)) return undefined
  const name = familiarName(tagged ? named.slice(0, colon) : named)
  return name === undefined || name !== name.toLowerCase() ? undefined : { name, tag, digest }
}

const format = (r: { name: string; tag?: string; digest?: string }) => `${r.name}${r.tag ? `:${r.tag}` : ''}${r.digest ? `@${r.digest}` : ''}`

/** docker's imageWithTagString: a name-only image with :latest, in familiar form; a digest-pinned or invalid one as is. */
export function withDefaultTag(image: string): string {
  const ref = parseImage(image)
  if (!ref) return image
  return format(ref.tag || ref.digest ? ref : { ...ref, tag: 'latest' })
}

/** docker's imageWithDigestString: name[:tag]@digest, unless the image already has a digest (or is not a reference). */
export function withDigest(image: string, digest: string): string {
  const ref = parseImage(image)
  return !ref || ref.digest ? image : format({ ...ref, digest })
}

/** docker's warning when the registry could not be asked (printed with a newline after it, so a blank line follows). */
export function digestWarning(image: string): string {
  return `image ${image} could not be accessed on a registry to record\nits digest. Each node will access ${image} independently,\npossibly leading to different nodes running different\nversions of the image.\n`
}

interface DistributionInspect {
  Descriptor: { digest: string }
  Platforms?: Array<{ architecture?: string; os?: string }> | null
}

/**
 * Pins `template`'s image (in place) to the digest the registry reports and
 * sets its Placement.Platforms, as docker's resolveContainerSpecImage; returns
 * docker's warning instead when the manager cannot ask the registry.
 */
export async function pinImageDigest(client: Pick<ManagerClient, 'get'>, template: TaskSpec, registryAuth?: string): Promise<string | undefined> {
  const image = template.ContainerSpec.Image
  let found: DistributionInspect
  try {
    found = await client.get<DistributionInspect>(`/distribution/${image}/json`, { headers: registryAuth ? { 'X-Registry-Auth': registryAuth } : undefined })
    if (!found?.Descriptor?.digest) throw new Error('no digest')
  } catch {
    return digestWarning(image)
  }
  template.ContainerSpec.Image = withDigest(image, found.Descriptor.digest)
  if (found.Platforms?.length) {
    // As docker: "arm" manifests drop their architecture (nodes report armv7l and would never match).
    template.Placement = {
      ...template.Placement,
      Platforms: found.Platforms.map((p) => ({ Architecture: p.architecture?.toLowerCase() === 'arm' ? '' : p.architecture ?? '', OS: p.os ?? '' })),
    }
  }
  return undefined
}
