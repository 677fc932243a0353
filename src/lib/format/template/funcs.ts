// Functions available to templates: Go's builtins and the ones docker adds (templates.basicFunctions).
import { goJSON } from '../json.js'
import { goString, goType, sprint, sprintf, sprintln } from './printf.js'

type Param = 'any' | 'raw' | 'string' | 'int' | 'strings'
/** A template function: parameter kinds (checked as Go would), optional variadic kind, implementation. */
export interface FuncDef { params: Param[]; variadic?: Param; fn: (...args: any[]) => unknown }

/** Go's truth of a value: false, 0, nil, empty string/array/map are false. */
export function truth(v: unknown): boolean {
  if (v === undefined || v === null) return false
  if (Array.isArray(v)) return v.length > 0
  if (typeof v === 'object') return Object.keys(v).length > 0
  return Boolean(v)
}

/** Checks and converts one argument; throws with Go's wording. */
export function convert(kind: Param, v: unknown): unknown {
  if (kind === 'raw') return v
  if (kind === 'any') return v === undefined ? null : v
  if (v === undefined) return fail(`invalid value; expected ${kind === 'strings' ? '[]string' : kind}`)
  if (kind === 'string' && typeof v === 'string') return v
  if (kind === 'int' && typeof v === 'number' && Number.isInteger(v)) return v
  if (kind === 'strings' && Array.isArray(v)) return v.map((e) => (typeof e === 'string' ? e : goString(e)))
  return fail(`wrong type for value; expected ${kind === 'strings' ? '[]string' : kind}; got ${goType(v)}`)
}

const fail = (msg: string): never => { throw new Error(msg) }
const calling = (name: string, msg: string): never => fail(`error calling ${name}: ${msg}`)
const utf8Length = (s: string): number => new TextEncoder().encode(s).length

function basic(v: unknown): 'number' | 'string' | 'boolean' | 'nil' {
  if (v === null || v === undefined) return 'nil'
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return typeof v as 'number'
  return fail('non-comparable type')
}

function eq(name: string, a: unknown, ...rest: unknown[]): boolean {
  if (rest.length === 0) return calling(name, 'missing argument for comparison')
  const ka = basic(a)
  return rest.some((b) => {
    const kb = basic(b)
    if (ka === 'nil' || kb === 'nil') return ka === kb
    if (ka !== kb) return calling(name, 'incompatible types for comparison')
    return a === b
  })
}

function less(name: string, a: unknown, b: unknown): boolean {
  const ka = basic(a)
  if (ka !== 'number' && ka !== 'string') return calling(name, 'invalid type for comparison')
  if (ka !== basic(b)) return calling(name, 'incompatible types for comparison')
  return (a as number) < (b as number)
}

function index(item: unknown, ...keys: unknown[]): unknown {
  let v = item
  for (const k of keys) {
    if (v === null || v === undefined) return calling('index', 'index of untyped nil')
    if (Array.isArray(v)) {
      if (typeof k !== 'number' || !Number.isInteger(k)) return calling('index', `cannot index slice/array with type ${goType(k)}`)
      if (k < 0 || k >= v.length) return calling('index', `index out of range: ${k}`)
      v = v[k]
    } else if (typeof v === 'object') {
      if (typeof k !== 'string') return calling('index', `value has type ${goType(k)}; should be string`)
      const o = v as Record<string, unknown>
      // A missing key gives the map's zero value: "" for string maps such as labels, nil otherwise.
      v = Object.hasOwn(o, k) ? o[k] : Object.values(o).every((x) => typeof x === 'string') ? '' : null
    } else return calling('index', `can't index item of type ${goType(v)}`)
  }
  return v
}

/** Go's strings.Title: upper-cases the first letter of each word. */
function title(s: string): string {
  // Separators as Go sees them: ASCII other than letters, digits and '_', and white space.
  // eslint-disable-next-line no-control-regex
  return s.replace(/(^|[\x00-\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7f\s])(\p{Ll})/gu, (_m, sep: string, c: string) => sep + c.toUpperCase())
}

const ident = (v: unknown): unknown => v

/** The functions of docker's templates.Parse (Go builtins plus docker's basicFunctions). */
export const FUNCS: Record<string, FuncDef> = {
  and: { params: ['any'], variadic: 'any', fn: (...a: unknown[]) => a.find((x) => !truth(x)) ?? a[a.length - 1] },
  or: { params: ['any'], variadic: 'any', fn: (...a: unknown[]) => a.find(truth) ?? a[a.length - 1] },
  not: { params: ['any'], fn: (v: unknown) => !truth(v) },
  len: {
    params: ['any'],
    fn: (v: unknown) => typeof v === 'string' ? utf8Length(v) : Array.isArray(v) ? v.length
      : v !== null && typeof v === 'object' ? Object.keys(v).length : calling('len', `len of type ${goType(v)}`),
  },
  index: { params: ['any'], variadic: 'any', fn: index },
  print: { params: [], variadic: 'any', fn: (...a: unknown[]) => sprint(a) },
  println: { params: [], variadic: 'any', fn: (...a: unknown[]) => sprintln(a) },
  printf: { params: ['string'], variadic: 'any', fn: (f: string, ...a: unknown[]) => sprintf(f, a) },
  eq: { params: ['any'], variadic: 'any', fn: (a: unknown, ...r: unknown[]) => eq('eq', a, ...r) },
  ne: { params: ['any', 'any'], fn: (a: unknown, b: unknown) => !eq('ne', a, b) },
  lt: { params: ['any', 'any'], fn: (a: unknown, b: unknown) => less('lt', a, b) },
  le: { params: ['any', 'any'], fn: (a: unknown, b: unknown) => less('le', a, b) || eq('le', a, b) },
  gt: { params: ['any', 'any'], fn: (a: unknown, b: unknown) => !less('gt', a, b) && !eq('gt', a, b) },
  ge: { params: ['any', 'any'], fn: (a: unknown, b: unknown) => !less('ge', a, b) },
  json: { params: ['any'], fn: (v: unknown) => goJSON(v) },
  split: { params: ['string', 'string'], fn: (s: string, sep: string) => (sep === '' ? [...s] : s.split(sep)) },
  join: { params: ['strings', 'string'], fn: (a: string[], sep: string) => a.join(sep) },
  title: { params: ['string'], fn: title },
  lower: { params: ['string'], fn: (s: string) => s.toLowerCase() },
  upper: { params: ['string'], fn: (s: string) => s.toUpperCase() },
  pad: { params: ['string', 'int', 'int'], fn: (s: string, l: number, r: number) => (s === '' ? s : ' '.repeat(Math.max(l, 0)) + s + ' '.repeat(Math.max(r, 0))) },
  truncate: { params: ['string', 'int'], fn: (s: string, n: number) => ([...s].length < n ? s : [...s].slice(0, Math.max(n, 0)).join('')) },
}

/** docker's HeaderFunctions: for the table header these return their first argument unchanged. */
export const HEADER_FUNCS: Record<string, FuncDef> = {
  ...FUNCS,
  json: { params: ['raw'], fn: ident },
  split: { params: ['raw', 'any'], fn: ident },
  join: { params: ['raw', 'any'], fn: ident },
  title: { params: ['raw'], fn: ident },
  lower: { params: ['raw'], fn: ident },
  upper: { params: ['raw'], fn: ident },
  truncate: { params: ['raw', 'any'], fn: ident },
}
