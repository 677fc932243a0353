// Swarm events as dockerd emits them (daemon/events.go, logServiceEvent and its
// siblings): one per committed change of a service, node or network, with the
// changed fields as `<field>.old` / `<field>.new` attributes.
import type { Network, Node, Service, StoredObject } from '../types/index.js'

/** The object kinds that make docker events (tsw keeps no secrets or configs). */
export type EventType = 'service' | 'node' | 'network'

/** What happened to the object, in docker's words. */
export type EventAction = 'create' | 'update' | 'remove'

/** One event, field for field as GET /events sends it. */
export interface EventMessage {
  Type: EventType
  Action: EventAction
  Actor: { ID: string; Attributes: Record<string, string> }
  scope: 'swarm'
  time: number
  timeNano: number
}

/** An event with what the filters need but docker does not send (the object's labels). */
export interface ClusterEvent {
  message: EventMessage
  labels: Record<string, string>
  /** The event's time (ms since the epoch). */
  ms: number
}

/**
 * The event of one store change: `object` is the object now (the last one seen
 * for a remove), `old` the one before an update. `now` stamps removes, which
 * carry no time of their own; creates and updates take the object's.
 */
export function deriveEvent(type: EventType, action: EventAction, object: StoredObject, old: StoredObject | undefined, now: number): ClusterEvent {
  const stamp = action === 'create' ? Date.parse(object.CreatedAt) : action === 'update' ? Date.parse(object.UpdatedAt) : now
  const ms = Number.isFinite(stamp) ? stamp : now
  const attrs: Record<string, string> = {}
  let labels: Record<string, string> = {}
  if (type === 'service') {
    const s = object as Service
    attrs.name = s.Spec.Name
    labels = s.Spec.Labels ?? {}
    if (action === 'update' && old) serviceChanges(s, old as Service, attrs)
  } else if (type === 'node') {
    const n = object as Node
    attrs.name = n.Spec.Name || n.Description?.Hostname || ''
    labels = n.Spec.Labels ?? {}
    if (action === 'update' && old) nodeChanges(n, old as Node, attrs)
  } else {
    const n = object as Network
    attrs.name = n.Name
    labels = n.Labels ?? {}
  }
  return {
    message: {
      Type: type, Action: action, Actor: { ID: object.ID, Attributes: attrs }, scope: 'swarm',
      time: Math.floor(ms / 1000), timeNano: ms * 1e6,
    },
    labels,
    ms,
  }
}

/** The remove event of an object this manager never saw (created and removed before it started): no name to give. */
export function unknownRemoved(type: EventType, id: string, now: number): ClusterEvent {
  return {
    message: { Type: type, Action: 'remove', Actor: { ID: id, Attributes: {} }, scope: 'swarm', time: Math.floor(now / 1000), timeNano: now * 1e6 },
    labels: {},
    ms: now,
  }
}

function changed(attrs: Record<string, string>, field: string, before: string | undefined, after: string | undefined): void {
  if (before === after) return
  attrs[`${field}.old`] = before ?? ''
  attrs[`${field}.new`] = after ?? ''
}

// image, replicas and the update state, as logServiceEvent compares them.
function serviceChanges(s: Service, old: Service, attrs: Record<string, string>): void {
  const image = s.Spec.TaskTemplate.ContainerSpec?.Image
  const oldImage = old.Spec.TaskTemplate.ContainerSpec?.Image
  changed(attrs, 'image', oldImage, image)
  const replicas = s.Spec.Mode?.Replicated?.Replicas
  const oldReplicas = old.Spec.Mode?.Replicated?.Replicas
  if (s.Spec.Mode?.Replicated && old.Spec.Mode?.Replicated) changed(attrs, 'replicas', String(oldReplicas ?? 1), String(replicas ?? 1))
  if (s.UpdateStatus) {
    // A first update state has no old one (dockerd sends only the new).
    if (!old.UpdateStatus) attrs['updatestate.new'] = s.UpdateStatus.State
    else changed(attrs, 'updatestate', old.UpdateStatus.State, s.UpdateStatus.State)
  }
}

// availability, role, state, leader and reachability, as logNodeEvent compares them.
function nodeChanges(n: Node, old: Node, attrs: Record<string, string>): void {
  changed(attrs, 'availability', old.Spec.Availability, n.Spec.Availability)
  changed(attrs, 'role', old.Spec.Role, n.Spec.Role)
  changed(attrs, 'state', old.Status.State, n.Status.State)
  if (n.ManagerStatus && old.ManagerStatus) {
    changed(attrs, 'leader', String(!!old.ManagerStatus.Leader), String(!!n.ManagerStatus.Leader))
    changed(attrs, 'reachability', old.ManagerStatus.Reachability, n.ManagerStatus.Reachability)
  }
}
