// Classic swarm's filter expressions: `constraint:KEY==VALUE` and
// `affinity:KEY==VALUE` in a container's env, or JSON arrays of `KEY==VALUE`
// in its com.docker.swarm.{constraints,affinities} labels. Operators are ==
// and !=; a value starting with ~ (==~, !=~) makes the expression soft: it is
// dropped when no node satisfies it. A value is plain, a glob (node0*) or a
// regex between slashes (/node0[12]/); matching is case-sensitive, as classic.
import { InvalidArgumentError } from '../../errors/index.js'
import { compileRegex, InvalidRegexError, type ClientRegex } from '../../filters/regex.js'
import type { ContainerRequest } from './types.js'

/** The two kinds of classic expression. */
export type ExprKind = 'constraint' | 'affinity'

/** One parsed expression. */
export interface Expr {
  kind: ExprKind
  key: string
  operator: '==' | '!='
  /** Without the soft marker ~. */
  value: string
  soft: boolean
}

/** Labels classic swarm stored expressions in (JSON arrays of "KEY==VALUE"). */
export const EXPR_LABELS: Record<ExprKind, string> = {
  constraint: 'com.docker.swarm.constraints',
  affinity: 'com.docker.swarm.affinities',
}

const KEY_PATTERN = /^[a-z_][a-z0-9\-_.]*$/i
const VALUE_PATTERN = /^[a-z0-9:\-_\s.*/()?+[\]\\^$|@{},]+$/i
const VALUE_HINT = 'use letters, digits, spaces and : - _ . * / ( ) ? + [ ] \\ ^ $ | @ { } , '
  + '— a plain value, a glob such as node0* or a regex such as /node0[12]/'
const EXAMPLES: Record<ExprKind, string> = { constraint: 'constraint:node==node01', affinity: 'affinity:container==web' }

/** "node==node09", or "node==~node09" when soft. */
export function exprText(e: Expr): string {
  return `${e.key}${e.operator}${e.soft ? '~' : ''}${e.value}`
}

/** Parses one `KEY==VALUE` of the given kind; throws InvalidArgumentError saying what is wrong and the accepted form. */
export function parseExpr(kind: ExprKind, text: string): Expr {
  const fail = (why: string): never => { throw new InvalidArgumentError(`${kind}:${text}: ${why}`) }
  const op = /==|!=/.exec(text)
  if (!op) return fail(`expected one of the operators ==, !=, ==~ or !=~ (write ${kind}:KEY==VALUE, e.g. ${EXAMPLES[kind]})`)
  const key = text.slice(0, op.index).trim()
  let value = text.slice(op.index + 2).trim()
  const soft = value.startsWith('~')
  if (soft) value = value.slice(1).trim()
  if (!KEY_PATTERN.test(key)) {
    return fail(`key '${key}' is invalid (use letters, digits, - _ and ., starting with a letter or _)`)
  }
  if (value === '') return fail(`value is empty (write ${kind}:KEY==VALUE, e.g. ${EXAMPLES[kind]})`)
  if (!VALUE_PATTERN.test(value)) return fail(`value '${value}' is invalid (${VALUE_HINT})`)
  const expr: Expr = { kind, key, operator: op[0] as Expr['operator'], value, soft }
  try { pattern(expr) } catch (e) {
    if (e instanceof InvalidRegexError) return fail(`regular expression ${value} is invalid: ${e.reason}`)
    throw e
  }
  return expr
}

/** The request's constraints and affinities, from env and labels (duplicates once); throws InvalidArgumentError for bad syntax. */
export function parseClassicExpressions(req: ContainerRequest): { constraints: Expr[]; affinities: Expr[] } {
  const parse = (kind: ExprKind): Expr[] => {
    const texts = [...labelExprs(req.labels, kind), ...req.env.flatMap((e) => (e.startsWith(`${kind}:`) ? [e.slice(kind.length + 1)] : []))]
    return [...new Set(texts)].map((t) => parseExpr(kind, t))
  }
  return { constraints: parse('constraint'), affinities: parse('affinity') }
}

/** The expressions stored in the kind's label; throws InvalidArgumentError when it is not a JSON array of strings. */
function labelExprs(labels: Record<string, string>, kind: ExprKind): string[] {
  const raw = labels[EXPR_LABELS[kind]]
  if (raw === undefined) return []
  let parsed: unknown
  try { parsed = JSON.parse(raw) } catch { parsed = undefined }
  if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === 'string')) {
    throw new InvalidArgumentError(`label ${EXPR_LABELS[kind]}: expected a JSON array of strings such as `
      + `["${EXAMPLES[kind].slice(kind.length + 1)}"], got ${raw}`)
  }
  return parsed
}

// Expressions are parsed once per placement but matched per node and value.
const compiled = new WeakMap<Expr, ClientRegex>()

/**
 * The expression's value as a pattern: /…/ as written (unanchored), else an
 * anchored glob where * is any run. RE2 (filters/regex.ts): the value comes
 * from a client, and classic swarm matched with Go's regexp.
 */
function pattern(e: Expr): ClientRegex {
  let re = compiled.get(e)
  if (!re) {
    re = isRegex(e.value)
      ? compileRegex(e.value.slice(1, -1))
      : compileRegex(`^${e.value.split('*').map(escapeRegExp).join('.*')}$`)
    compiled.set(e, re)
  }
  return re
}

/** Whether the value is written as a regex, /…/. */
export function isRegex(value: string): boolean {
  return value.length >= 2 && value.startsWith('/') && value.endsWith('/')
}

/** Whether the value is plain: neither a glob nor a regex. */
export function isPlain(value: string): boolean {
  return !isRegex(value) && !value.includes('*')
}

/** Whether one of the values matches the expression's value (the operator aside). */
export function anyMatches(e: Expr, values: string[]): boolean {
  const re = pattern(e)
  return values.some((v) => re.test(v))
}

/** Whether the values satisfy the expression: == needs a match, != needs none. */
export function satisfies(e: Expr, values: string[]): boolean {
  return anyMatches(e, values) === (e.operator === '==')
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
