// Small string rules docker's formatters share: natural order, ID truncation, ellipsis, image names.
import { displayWidth } from './width.js'

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39

/**
 * Natural order as fvbommel/sortorder's NaturalLess (docker sorts services and tasks by it):
 * runs of digits compare as numbers ("web.2" < "web.10"), digits sort before other bytes,
 * everything else compares bytewise. Returns <0, 0 or >0.
 */
export function naturalCompare(a: string, b: string): number {
  const s1 = Buffer.from(a)
  const s2 = Buffer.from(b)
  let i = 0
  let j = 0
  while (i < s1.length && j < s2.length) {
    const d1 = isDigit(s1[i])
    const d2 = isDigit(s2[j])
    if (d1 !== d2) return d1 ? -1 : 1
    if (!d1) {
      if (s1[i] !== s2[j]) return s1[i] - s2[j]
      i++
      j++
      continue
    }
    while (i < s1.length && s1[i] === 0x30) i++
    while (j < s2.length && s2[j] === 0x30) j++
    const nz1 = i
    const nz2 = j
    while (i < s1.length && isDigit(s1[i])) i++
    while (j < s2.length && isDigit(s2[j])) j++
    if (i - nz1 !== j - nz2) return (i - nz1) - (j - nz2)
    const n1 = s1.subarray(nz1, i).toString()
    const n2 = s2.subarray(nz2, j).toString()
    if (n1 !== n2) return n1 < n2 ? -1 : 1
    // Equal numbers: fewer leading zeros first.
    if (nz1 !== nz2) return nz1 - nz2
  }
  return (s1.length - i) - (s2.length - j)
}

/** docker's TruncateID: drops an "algo:" prefix and keeps 12 characters. */
export function truncateId(id: string): string {
  const colon = id.indexOf(':')
  const bare = colon >= 0 ? id.slice(colon + 1) : id
  return bare.length > 12 ? bare.slice(0, 12) : bare
}

/** docker's formatter.Ellipsis: cuts s to `max` display columns, the last one being "…". */
export function ellipsis(s: string, max: number): string {
  if (max <= 0) return ''
  const chars = [...s]
  if (max === 1) return chars[0] ?? ''
  const widths = chars.map((c) => Math.max(1, displayWidth(c)))
  const total = widths.reduce((a, w) => a + w, 0)
  if (total <= max) return s
  let used = 0
  let n = 0
  while (n < chars.length && used + widths[n] <= max - 1) used += widths[n++]
  return chars.slice(0, n).join('') + '…'
}

/** docker's formatter.PrettyPrint of an enum value: "running" → "Running", "READY" → "Ready". */
export function prettyPrint(s: string | undefined): string {
  if (s === undefined || s === null) return 'None'
  if (s.length <= 1) return s.toLowerCase()
  return s.charAt(0).toUpperCase() + s.slice(1).toLowerCase()
}

// Grammar of distribution/reference, enough to tell a valid reference from text that is not one.
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/
const DOMAIN = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:.]+\])(?::\d+)?$/
const TAG = /^[\w][\w.-]{0,127}$/

/**
 * An image as docker lists it: a tagged reference without its digest and in familiar form
 * ("docker.io/library/nginx:1@sha256:…" → "nginx:1"); anything else (no tag, or not a valid
 * reference) as is.
 */
export function displayImage(image: string): string {
  const at = image.indexOf('@')
  const named = at >= 0 ? image.slice(0, at) : image
  const slash = named.lastIndexOf('/')
  const colon = named.lastIndexOf(':')
  if (colon <= slash) return image
  const name = named.slice(0, colon)
  const tag = named.slice(colon + 1)
  if (!TAG.test(tag)) return image
  const familiar = familiarName(name)
  return familiar === undefined ? image : `${familiar}:${tag}`
}

/** The familiar form of a repository name ("docker.io/library/x" → "x"), or undefined when it is not valid. */
export function familiarName(name: string): string | undefined {
  const parts = name.split('/')
  let domain = ''
  if (parts.length > 1 && (parts[0] === 'localhost' || /[.:]/.test(parts[0]) || parts[0] !== parts[0].toLowerCase())) {
    domain = parts.shift()!
    if (!DOMAIN.test(domain)) return undefined
  }
  if (!parts.every((p) => COMPONENT.test(p))) return undefined
  if (domain === 'index.docker.io') domain = 'docker.io'
  if (domain === '' || domain === 'docker.io') {
    if (parts.length === 2 && parts[0] === 'library') parts.shift()
    return parts.join('/')
  }
  return [domain, ...parts].join('/')
}
