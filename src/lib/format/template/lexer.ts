// Tokenizer for the Go text/template subset docker's --format uses.
import { parseError } from './errors.js'

export type TokType =
  | 'text' | 'open' | 'close' | 'space' | 'field' | 'dot' | 'var' | 'ident'
  | 'string' | 'number' | 'bool' | 'nil' | 'pipe' | 'lparen' | 'rparen'
  | 'declare' | 'assign' | 'comma'

/** One token; `v` holds the decoded value (field/var/ident name, string text, number, boolean). */
export interface Token { t: TokType; v?: string | number | boolean; pos: number; end: number }

const SPACE = ' \t\r\n'
const isSpace = (c: string | undefined): boolean => c !== undefined && c !== '' && SPACE.includes(c)
const WORD = /[\p{L}\p{N}_]/u
const NUMBER =
  /[+-]?(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?)/y
const ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'" }

/** Decodes the escapes of a Go interpreted string or char literal body. */
function unquote(src: string, body: string, pos: number): string {
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3}|.)/gs, (_m, e: string) => {
    if (e.length > 1) return String.fromCodePoint(parseInt(e[0] === 'x' || e[0] === 'u' || e[0] === 'U' ? e.slice(1) : e, e.length === 3 && e[0] !== 'x' ? 8 : 16))
    const r = ESCAPES[e]
    if (r === undefined) throw parseError(src, pos, `unknown escape sequence: \\${e}`)
    return r
  })
}

/** Splits src into text and action tokens, applying `{{-`/`-}}` whitespace trimming. Throws TemplateError. */
export function lex(src: string): Token[] {
  const toks: Token[] = []
  let i = 0
  let trimNext = false
  while (i < src.length) {
    let open = src.indexOf('{{', i)
    if (open < 0) open = src.length
    let text = src.slice(i, open)
    if (trimNext) text = text.replace(/^[ \t\r\n]+/, '')
    trimNext = false
    let j = open + 2
    const trimLeft = src[j] === '-' && isSpace(src[j + 1])
    if (trimLeft) { text = text.replace(/[ \t\r\n]+$/, ''); j += 2 }
    if (text) toks.push({ t: 'text', v: text, pos: i, end: open })
    if (open >= src.length) break
    // Comments: {{/* … */}}, optionally with trim markers.
    const k = trimLeft ? j : open + 2
    if (src.startsWith('/*', k)) {
      const c = src.indexOf('*/', k + 2)
      if (c < 0) throw parseError(src, open, 'unclosed comment')
      let e = c + 2
      if (src.startsWith(' -}}', e)) { trimNext = true; e += 4 } else if (src.startsWith('}}', e)) e += 2
      else throw parseError(src, open, 'comment ends before closing delimiter')
      i = e
      continue
    }
    toks.push({ t: 'open', pos: open, end: j })
    i = lexAction(src, j, toks)
    const close = toks[toks.length - 1]
    trimNext = close.v === true
  }
  return toks
}

/** Tokenizes one action starting at i up to and including its `}}`; returns the index after it. */
function lexAction(src: string, i: number, toks: Token[]): number {
  const push = (t: TokType, pos: number, end: number, v?: Token['v']): void => { toks.push({ t, pos, end, v }) }
  for (;;) {
    if (i >= src.length) throw parseError(src, i, 'unclosed action')
    const c = src[i]
    if (isSpace(c)) {
      let e = i
      while (isSpace(src[e])) e++
      if (src.startsWith('-}}', e)) { push('close', i, e + 3, true); return e + 3 }
      push('space', i, e)
      i = e
    } else if (src.startsWith('}}', i)) { push('close', i, i + 2, false); return i + 2 }
    else if (c === '|') push('pipe', i, ++i)
    else if (c === '(') push('lparen', i, ++i)
    else if (c === ')') push('rparen', i, ++i)
    else if (c === ',') push('comma', i, ++i)
    else if (src.startsWith(':=', i)) { push('declare', i, i + 2); i += 2 }
    else if (c === '=') push('assign', i, ++i)
    else if (c === '"' || c === "'") {
      let e = i + 1
      while (e < src.length && src[e] !== c && src[e] !== '\n') e += src[e] === '\\' ? 2 : 1
      if (src[e] !== c) throw parseError(src, i, c === '"' ? 'unterminated quoted string' : 'unterminated character constant')
      const s = unquote(src, src.slice(i + 1, e), i)
      if (c === "'" && [...s].length !== 1) throw parseError(src, i, `malformed character constant: ${src.slice(i, e + 1)}`)
      push(c === '"' ? 'string' : 'number', i, e + 1, c === '"' ? s : s.codePointAt(0))
      i = e + 1
    } else if (c === '`') {
      const e = src.indexOf('`', i + 1)
      if (e < 0) throw parseError(src, i, 'unterminated raw quoted string')
      push('string', i, e + 1, src.slice(i + 1, e))
      i = e + 1
    } else if (/[0-9+-]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      NUMBER.lastIndex = i
      const m = NUMBER.exec(src)
      const e = m ? i + m[0].length : i
      if (!m || m[0] === '' || WORD.test(src[e] ?? '') || Number.isNaN(Number(m[0].replace(/_/g, '')))) {
        throw parseError(src, i, `bad number syntax: "${src.slice(i, e + 1)}"`)
      }
      push('number', i, e, Number(m[0].replace(/_/g, '')))
      i = e
    } else if (c === '.' || c === '$') {
      let e = i + 1
      while (e < src.length && WORD.test(src[e])) e++
      const name = src.slice(i + 1, e)
      if (c === '$') push('var', i, e, '$' + name)
      else push(name ? 'field' : 'dot', i, e, name)
      i = e
    } else if (WORD.test(c)) {
      let e = i
      while (e < src.length && WORD.test(src[e])) e++
      const w = src.slice(i, e)
      if (w === 'true' || w === 'false') push('bool', i, e, w === 'true')
      else if (w === 'nil') push('nil', i, e)
      else push('ident', i, e, w)
      i = e
    } else {
      const cp = c.codePointAt(0) ?? 0
      throw parseError(src, i, `unrecognized character in action: U+${cp.toString(16).toUpperCase().padStart(4, '0')} '${c}'`)
    }
  }
}
