// Which networks a service's tasks join.
import type { Service } from '../types/index.js'

export function publishesIngress(service: Pick<Service, 'Spec'>): boolean {
  return (service.Spec.EndpointSpec?.Ports ?? []).some((p) => (p.PublishMode ?? 'ingress') === 'ingress')
}

/** Network IDs of a service's tasks: ingress first when it publishes ingress ports, then its own. */
export function serviceNetworkIds(service: Pick<Service, 'Spec'>, ingressId: string | undefined): string[] {
  const own = (service.Spec.TaskTemplate.Networks ?? []).map((n) => n.Target)
  const ingress = ingressId && publishesIngress(service) ? [ingressId] : []
  return [...new Set([...ingress, ...own])]
}
