// A stack's names and labels, as docker/cli's convert.Namespace: every object
// is `STACK_name` and carries com.docker.stack.namespace=STACK, so the docker
// CLI's stack commands and tsw's find the same objects.
import type { Labels } from '../types/index.js'

/** The label that ties an object to its stack. */
export const LABEL_NAMESPACE = 'com.docker.stack.namespace'
/** The image as the compose file names it (docker compares it on redeploy). */
export const LABEL_IMAGE = 'com.docker.stack.image'

/** `stack_name`: an object's name in the swarm. */
export function scope(stack: string, name: string): string {
  return `${stack}_${name}`
}

/** `labels` plus the stack's namespace label. */
export function withStackLabel(stack: string, labels: Labels | undefined): Labels {
  return { ...labels, [LABEL_NAMESPACE]: stack }
}

/** The list filter that selects a stack's objects: {"label": {"com.docker.stack.namespace=STACK": true}}. */
export function stackFilter(stack: string): string {
  return JSON.stringify({ label: { [`${LABEL_NAMESPACE}=${stack}`]: true } })
}

/** Whether a stack name can prefix service names (checked before anything is made). Returns an error message or undefined. */
export function badStackName(name: string): string | undefined {
  if (!name.trim()) return `invalid stack name: ${JSON.stringify(name)}`
  if (/[^a-zA-Z0-9_.-]/.test(name)) return `Invalid stack name "${name}": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed (stack names become part of service names)`
  return undefined
}
