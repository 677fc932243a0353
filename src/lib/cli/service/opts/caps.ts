// Linux capabilities as docker normalises them (opts/capabilities.go).

export const ALL_CAPABILITIES = 'ALL'
export const RESET_CAPABILITIES = 'RESET'

/** "net_admin" → "CAP_NET_ADMIN"; "ALL" and "RESET" stay as they are. */
export function normalizeCapability(c: string): string {
  const up = c.trim().toUpperCase()
  if (up === ALL_CAPABILITIES || up === RESET_CAPABILITIES) return up
  return up.startsWith('CAP_') ? up : `CAP_${up}`
}

/** The normalised set of a list of capabilities. */
export function capabilitySet(caps: string[] = []): Set<string> {
  return new Set(caps.map(normalizeCapability))
}

/** The lists to store for --cap-add/--cap-drop at create: sorted, deduplicated, add wins over drop, ALL trumps the rest. */
export function effectiveCaps(add: string[] = [], drop: string[] = []): { add: string[]; drop: string[] } {
  let a = capabilitySet(add)
  let d = capabilitySet(drop)
  if (a.has(ALL_CAPABILITIES)) a = new Set([ALL_CAPABILITIES])
  if (d.has(ALL_CAPABILITIES)) d = new Set([ALL_CAPABILITIES])
  return {
    add: [...a].filter((c) => c !== RESET_CAPABILITIES).sort(),
    drop: [...d].filter((c) => !a.has(c) && c !== RESET_CAPABILITIES).sort(),
  }
}

/** A sorted list of a set, or undefined when empty; ALL alone when present. */
export function capsList(caps: Set<string>): string[] | undefined {
  if (!caps.size) return undefined
  if (caps.has(ALL_CAPABILITIES)) return [ALL_CAPABILITIES]
  return [...caps].sort()
}
