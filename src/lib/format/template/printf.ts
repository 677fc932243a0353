// Go's fmt rules for the values a template prints: %v, Sprint, Sprintln and a Sprintf subset.

/** Go's name for the type of a JS value (int/float64 by integrality), as fmt and template errors spell it. */
export function goType(v: unknown): string {
  if (v === null || v === undefined) return '<nil>'
  if (typeof v === 'string') return 'string'
  if (typeof v === 'boolean') return 'bool'
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float64'
  if (Array.isArray(v)) return '[]interface {}'
  return 'map[string]interface {}'
}

/** Go's %v / %e / %g of a float64; integral values print as ints (JSON numbers carry no int/float kind). */
export function goFloat(n: number, verb: 'g' | 'e' = 'g', prec?: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? '+Inf' : '-Inf'
  if (verb === 'g' && prec === undefined && Number.isInteger(n) && Math.abs(n) < 1e21) return String(n)
  const expForm = (s: string): string => {
    const [m, e] = s.split('e')
    const x = Number(e)
    return `${m}e${x < 0 ? '-' : '+'}${String(Math.abs(x)).padStart(2, '0')}`
  }
  if (verb === 'e') return expForm(n.toExponential(prec ?? 6))
  const p = prec === undefined ? undefined : Math.max(prec, 1)
  const sci = p === undefined ? n.toExponential() : n.toExponential(p - 1)
  const exp = Number(sci.split('e')[1])
  // Go switches to the exponent form below 1e-4 and from the precision up (6 when shortest).
  if (exp < -4 || exp >= (p ?? 6)) return expForm(sci.replace(/\.?0+e/, 'e'))
  return p === undefined ? String(n) : String(Number(n.toPrecision(p)))
}

/** Go's default format (%v): `<nil>`, `[a b]`, `map[k:v]` with sorted keys, Go floats. */
export function goString(v: unknown): string {
  if (v === null || v === undefined) return '<nil>'
  if (typeof v === 'string') return v
  if (typeof v === 'number') return goFloat(v)
  if (typeof v === 'boolean') return String(v)
  if (Array.isArray(v)) return `[${v.map(goString).join(' ')}]`
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>
    return `map[${Object.keys(o).sort().map((k) => `${k}:${goString(o[k])}`).join(' ')}]`
  }
  return String(v)
}

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u
const SHORT: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v' }

/** Go's strconv.Quote: a double-quoted string with Go escapes for non-printable runes. */
export function goQuote(s: string): string {
  let out = '"'
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0
    if (ch === '"' || ch === '\\') out += '\\' + ch
    else if (PRINTABLE.test(ch)) out += ch
    else if (SHORT[ch]) out += SHORT[ch]
    else if (cp < 0x80) out += '\\x' + cp.toString(16).padStart(2, '0')
    else out += cp < 0x10000 ? '\\u' + cp.toString(16).padStart(4, '0') : '\\U' + cp.toString(16).padStart(8, '0')
  }
  return out + '"'
}

/** fmt.Sprint: operands in %v, a space between two operands when neither is a string. */
export function sprint(args: unknown[]): string {
  return args.map((a, i) => (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string' ? ' ' : '') + goString(a)).join('')
}

/** fmt.Sprintln: operands in %v separated by spaces, then a newline. */
export function sprintln(args: unknown[]): string {
  return args.map(goString).join(' ') + '\n'
}

const runes = (s: string): number => [...s].length
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v)
const bad = (verb: string, v: unknown): string => `%!${verb}(${v === null || v === undefined ? '<nil>' : `${goType(v)}=${goString(v)}`})`

/** Formats one operand for a verb; returns [text, numeric] or a `%!verb(type=value)` marker. */
function formatOne(verb: string, v: unknown, flags: string, prec: number | undefined): [string, boolean] {
  const cut = (s: string): string => (prec === undefined ? s : [...s].slice(0, prec).join(''))
  const sign = (s: string, n: number): string => (n >= 0 && flags.includes('+') ? '+' : n >= 0 && flags.includes(' ') ? ' ' : '') + s
  if (Array.isArray(v) && 'sdqxXfeg'.includes(verb)) return [`[${v.map((e) => formatOne(verb, e, flags, prec)[0]).join(' ')}]`, false]
  switch (verb) {
    case 'v': return typeof v === 'string' ? [cut(v), false] : [goString(v), typeof v === 'number']
    case 's': return typeof v === 'string' ? [cut(v), false] : [typeof v === 'object' && v !== null ? goString(v) : bad(verb, v), false]
    case 'q':
      if (typeof v === 'string') return [goQuote(cut(v)), false]
      return isInt(v) ? [`'${String.fromCodePoint(v)}'`, false] : [bad(verb, v), false]
    case 'd': return isInt(v) ? [sign(String(v), v), true] : [bad(verb, v), false]
    case 't': return typeof v === 'boolean' ? [String(v), false] : [bad(verb, v), false]
    case 'c': return isInt(v) ? [String.fromCodePoint(v), false] : [bad(verb, v), false]
    case 'o': case 'b': return isInt(v) ? [v.toString(verb === 'o' ? 8 : 2), true] : [bad(verb, v), false]
    case 'x': case 'X': {
      let s: string
      if (isInt(v)) s = v.toString(16)
      else if (typeof v === 'string') s = [...new TextEncoder().encode(v)].map((b) => b.toString(16).padStart(2, '0')).join('')
      else return [bad(verb, v), false]
      return [verb === 'X' ? s.toUpperCase() : s, isInt(v)]
    }
    case 'f': case 'F': case 'e': case 'g':
      if (typeof v !== 'number') return [bad(verb, v), false]
      if (verb === 'e') return [sign(goFloat(v, 'e', prec ?? 6), v), true]
      if (verb === 'g') return [sign(goFloat(v, 'g', prec), v), true]
      return [sign(v.toFixed(prec ?? 6), v), true]
    case 'T': return [goType(v), false]
    default: return [bad(verb, v), false]
  }
}

/** fmt.Sprintf subset: verbs v s q d t c o b x X f e g T %, flags `-+ 0`, width and precision. */
export function sprintf(format: string, args: unknown[]): string {
  let out = ''
  let n = 0
  const re = /%([-+ #0]*)(\d+)?(?:\.(\d*))?(.?)/gsy
  let last = 0
  for (let i = format.indexOf('%'); i >= 0; i = format.indexOf('%', last)) {
    out += format.slice(last, i)
    re.lastIndex = i
    const m = re.exec(format)!
    last = re.lastIndex
    const [, flags, w, p, verb] = m
    if (verb === '') { out += '%!(NOVERB)'; break }
    if (verb === '%') { out += '%'; continue }
    if (n >= args.length) { out += `%!${verb}(MISSING)`; continue }
    const [text, numeric] = formatOne(verb, args[n++], flags, p === undefined ? undefined : Number(p || 0))
    const width = w === undefined ? 0 : Number(w)
    const pad = width - runes(text)
    if (pad <= 0) out += text
    else if (flags.includes('-')) out += text + ' '.repeat(pad)
    else if (flags.includes('0')) {
      const signed = numeric && /^[+\- ]/.test(text)
      out += signed ? text[0] + '0'.repeat(pad) + text.slice(1) : '0'.repeat(pad) + text
    } else out += ' '.repeat(pad) + text
  }
  out += format.slice(last)
  if (n < args.length) {
    out += `%!(EXTRA ${args.slice(n).map((a) => (a === null || a === undefined ? '<nil>' : `${goType(a)}=${goString(a)}`)).join(', ')})`
  }
  return out
}
