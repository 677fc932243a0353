// `docker events --filter`: dockerd's event filter (daemon/events/filter.go).
// Every filter given must match; values of one filter are alternatives. A
// filter naming an object kind (service=web) keeps only events whose actor's
// ID or name starts with a value, so other kinds of event drop out, as in dockerd.
import { matchLabels } from '../filters/match.js'
import { parseFilters, type Filters } from '../filters/parse.js'
import type { ClusterEvent } from './message.js'

/** The filters GET /events accepts (dockerd's list). */
export const EVENT_FILTERS = ['config', 'container', 'daemon', 'event', 'image', 'label', 'network', 'node', 'plugin', 'scope', 'secret', 'service', 'type', 'volume']

/** Filters matched by actor ID or name prefix (dockerd's fuzzyMatchName). */
const BY_NAME = ['config', 'container', 'daemon', 'network', 'node', 'plugin', 'secret', 'service', 'volume']

/** A parsed `filters` query: whether it keeps an event. */
export type EventFilter = (event: ClusterEvent) => boolean

/** Parses the `filters` query of GET /events. Throws InvalidArgumentError on bad JSON or an unknown filter. */
export function parseEventFilter(raw: string | null): EventFilter {
  return eventFilter(parseFilters(raw, EVENT_FILTERS))
}

/** The filter of parsed filters. */
export function eventFilter(filters: Filters): EventFilter {
  const exact = (key: string, value: string | undefined) => {
    const wanted = filters.get(key)
    return !wanted?.length || (value !== undefined && wanted.includes(value))
  }
  const fuzzy = (key: string, value: string | undefined) => {
    const wanted = filters.get(key)
    return !wanted?.length || (value !== undefined && wanted.some((w) => value.startsWith(w)))
  }
  return ({ message: m, labels }) => {
    const name = m.Actor.Attributes.name
    if (!exact('event', m.Action) || !exact('type', m.Type) || !exact('scope', m.scope)) return false
    if (!BY_NAME.every((key) => fuzzy(key, m.Actor.ID) || fuzzy(key, name))) return false
    if (!exact('image', m.Actor.ID) && !exact('image', m.Actor.Attributes.image)) return false
    // dockerd matches labels against the attributes; tsw also against the object's labels.
    return matchLabels(filters.get('label') ?? [], { ...labels, ...m.Actor.Attributes })
  }
}
