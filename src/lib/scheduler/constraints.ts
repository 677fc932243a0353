// Placement constraints, as swarmkit's manager/constraint parses and matches
// them: `key==value` or `key!=value`, whitespace allowed around the operator.
import { InvalidArgumentError } from '../errors/index.js'
import type { Node } from '../types/index.js'

/** One parsed placement constraint. */
export interface Constraint {
  key: string
  operator: '==' | '!='
  value: string
}

const NODE_LABELS = 'node.labels.'
const ENGINE_LABELS = 'engine.labels.'
const FIXED_KEYS = ['node.id', 'node.hostname', 'node.role', 'node.platform.os', 'node.platform.arch']
// swarmkit's patterns: a key starts with a letter or _, a value never holds
// characters that are (or may become) operators, such as < > ~ = !.
const KEY_PATTERN = /^[a-z_][a-z0-9\-_.]+$/i
const VALUE_PATTERN = /^[a-z0-9:\-_\s.*()?+[\]\\^$|/]+$/i
const KEYS_HINT = 'use node.id, node.hostname, node.role, node.platform.os, node.platform.arch, node.labels.<key> or engine.labels.<key>'

/** Whether a key is one swarm knows (case-insensitive, as swarmkit). */
function isKnownKey(key: string): boolean {
  const k = key.toLowerCase()
  return FIXED_KEYS.includes(k)
    || (k.length > NODE_LABELS.length && k.startsWith(NODE_LABELS))
    || (k.length > ENGINE_LABELS.length && k.startsWith(ENGINE_LABELS))
}

/** Parses `--constraint` expressions; throws InvalidArgumentError naming the bad one and the fix. */
export function parseConstraints(exprs: string[]): Constraint[] {
  return exprs.map((expr) => {
    const fail = (why: string): never => { throw new InvalidArgumentError(`invalid constraint: ${expr}: ${why}`) }
    // "==" is tried first, as swarmkit does, so "a!=b" is the only way to get "!=".
    const operator = expr.includes('==') ? '==' : expr.includes('!=') ? '!=' : undefined
    if (!operator) return fail('expected one operator from ==, != (write it as key==value, e.g. node.role==manager)')
    const at = expr.indexOf(operator)
    const key = expr.slice(0, at).trim()
    const value = expr.slice(at + 2).trim()
    if (!KEY_PATTERN.test(key)) return fail(`key '${key}' is invalid (${KEYS_HINT})`)
    if (!isKnownKey(key)) return fail(`unknown constraint key (${KEYS_HINT})`)
    if (!VALUE_PATTERN.test(value)) {
      return fail(`value '${value}' is invalid (use letters, digits, spaces and : - _ . * ( ) ? + [ ] \\ ^ $ | /)`)
    }
    return { key, operator, value }
  })
}

/**
 * A reader of the node attribute a constraint or spread key names, or
 * undefined when the key is unknown. A missing label reads as '' (so only
 * `!=` matches it).
 */
export function attributeReader(key: string): ((node: Node) => string) | undefined {
  const k = key.toLowerCase()
  switch (k) {
    case 'node.id': return (n) => n.ID
    case 'node.hostname': return (n) => n.Description?.Hostname ?? ''
    case 'node.role': return (n) => n.Spec.Role
    case 'node.platform.os': return (n) => n.Description?.Platform?.OS ?? ''
    case 'node.platform.arch': return (n) => n.Description?.Platform?.Architecture ?? ''
  }
  // The label name itself keeps its case: labels are case-sensitive.
  if (k.length > NODE_LABELS.length && k.startsWith(NODE_LABELS)) {
    const label = key.slice(NODE_LABELS.length)
    return (n) => n.Spec.Labels?.[label] ?? ''
  }
  if (k.length > ENGINE_LABELS.length && k.startsWith(ENGINE_LABELS)) {
    const label = key.slice(ENGINE_LABELS.length)
    return (n) => n.Description?.Engine?.Labels?.[label] ?? ''
  }
  return undefined
}

/** The node attribute a key names ('' for a missing label), or undefined for an unknown key. */
export function nodeAttribute(node: Node, key: string): string | undefined {
  return attributeReader(key)?.(node)
}

/**
 * A predicate telling whether a node satisfies every constraint; values
 * compare case-insensitively (swarmkit's EqualFold), an unknown key matches
 * no node (swarmkit's NodeMatches).
 */
export function constraintMatcher(constraints: Constraint[]): (node: Node) => boolean {
  const checks = constraints.map((c) => ({ read: attributeReader(c.key), value: c.value.toLowerCase(), eq: c.operator === '==' }))
  return (node) => checks.every(({ read, value, eq }) => read !== undefined && (read(node).toLowerCase() === value) === eq)
}

/** Whether a node satisfies every constraint (see constraintMatcher). */
export function matchConstraints(constraints: Constraint[], node: Node): boolean {
  return constraintMatcher(constraints)(node)
}
