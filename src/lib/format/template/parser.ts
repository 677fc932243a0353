// Parser: tokens → a tree of text, actions and if/range/with blocks.
import { parseError } from './errors.js'
import { lex, type Token } from './lexer.js'

/** An operand; `names` is a field chain applied after it (`.A.B`, `$x.A`, `(pipe).A`). */
export type Arg =
  | { k: 'field'; pos: number; text: string; names: string[] }
  | { k: 'dot'; pos: number; text: string }
  | { k: 'var'; pos: number; text: string; name: string; names: string[] }
  | { k: 'func'; pos: number; text: string; name: string }
  | { k: 'lit'; pos: number; text: string; v: string | number | boolean }
  | { k: 'nil'; pos: number; text: string }
  | { k: 'pipe'; pos: number; text: string; pipe: Pipe; names: string[] }
/** One command of a pipeline: a function call or a single operand. */
export interface Cmd { pos: number; text: string; args: Arg[] }
/** A pipeline, with its optional variable declaration (`$x :=`) or assignment (`$x =`). */
export interface Pipe { pos: number; decl: string[]; assign: boolean; cmds: Cmd[] }
/** A node of the template tree. */
export type Node =
  | { k: 'text'; text: string }
  | { k: 'action'; pos: number; pipe: Pipe }
  | { k: 'if' | 'with' | 'range'; pos: number; pipe: Pipe; list: Node[]; elseList?: Node[] }

/** Parses src into a node list; `funcs` are the known function names. Throws TemplateError. */
export function parse(src: string, funcs: ReadonlySet<string>): Node[] {
  const toks = lex(src)
  let p = 0
  const vars: string[] = ['$']
  const fail = (t: Token | undefined, msg: string): never => { throw parseError(src, t?.pos ?? src.length, msg) }
  const peek = (): Token | undefined => toks[p]
  const skipSpace = (): void => { while (toks[p]?.t === 'space') p++ }
  const next = (): Token => { skipSpace(); return toks[p++] ?? fail(undefined, 'unexpected EOF') }
  const desc = (t: Token): string => t.t === 'close' ? 'unexpected "}}"' : `unexpected ${JSON.stringify(src.slice(t.pos, t.end))}`

  function chain(): string[] {
    const names: string[] = []
    while (peek()?.t === 'field') names.push(String(toks[p++].v))
    return names
  }

  function operand(): Arg | undefined {
    const t = peek()
    if (!t) return fail(t, 'unclosed action')
    let a: Arg
    switch (t.t) {
      case 'field': a = { k: 'field', pos: t.pos, text: '', names: chain() }; break
      case 'dot': p++; a = { k: 'dot', pos: t.pos, text: '.' }; break
      case 'var': {
        p++
        const name = String(t.v)
        if (!vars.includes(name)) fail(t, `undefined variable "${name}"`)
        a = { k: 'var', pos: t.pos, text: '', name, names: chain() }
        break
      }
      case 'ident': {
        p++
        const name = String(t.v)
        if (!funcs.has(name)) fail(t, `function "${name}" not defined`)
        a = { k: 'func', pos: t.pos, text: name, name }
        break
      }
      case 'string': case 'number': case 'bool': p++; a = { k: 'lit', pos: t.pos, text: '', v: t.v! }; break
      case 'nil': p++; a = { k: 'nil', pos: t.pos, text: 'nil' }; break
      case 'lparen': {
        p++
        const inner = pipeline('parenthesized pipeline', 'rparen')
        a = { k: 'pipe', pos: t.pos, text: '', pipe: inner, names: chain() }
        break
      }
      default: return undefined
    }
    a.text = src.slice(t.pos, toks[p - 1].end)
    if (a.k === 'func' && peek()?.t === 'field') fail(peek(), `unexpected . after term "${a.name}"`)
    return a
  }

  function pipeline(ctx: string, end: 'close' | 'rparen'): Pipe {
    skipSpace()
    const start = peek()
    const pipe: Pipe = { pos: start?.pos ?? src.length, decl: [], assign: false, cmds: [] }
    // Declarations: `$x :=`, `$i, $e :=`, `$x =`.
    const save = p
    const names: string[] = []
    for (;;) {
      skipSpace()
      if (peek()?.t !== 'var') break
      names.push(String(toks[p++].v))
      skipSpace()
      const t = peek()?.t
      if (t === 'comma' && ctx === 'range' && names.length === 1) { p++; continue }
      if (t === 'declare' || t === 'assign') {
        p++
        pipe.decl = names
        pipe.assign = t === 'assign'
        if (pipe.assign) for (const n of names) if (!vars.includes(n)) fail(start, `undefined variable "${n}"`)
      }
      break
    }
    if (pipe.decl.length === 0) p = save
    for (;;) {
      skipSpace()
      const cmdStart = peek()
      const cmd: Cmd = { pos: cmdStart?.pos ?? src.length, text: '', args: [] }
      for (;;) {
        skipSpace()
        const a = operand()
        if (!a) break
        cmd.args.push(a)
        const t = peek()
        if (t && t.t !== 'space' && t.t !== 'close' && t.t !== 'rparen' && t.t !== 'pipe') fail(t, `${desc(t)} in operand`)
      }
      const t = next()
      if (cmd.args.length === 0) fail(t, t.t === end || t.t === 'pipe' ? `missing value for ${ctx}` : `${desc(t)} in ${ctx}`)
      cmd.text = src.slice(cmd.pos, toks[p - 2]?.end ?? cmd.pos).trimEnd()
      pipe.cmds.push(cmd)
      if (t.t === end) break
      if (t.t !== 'pipe') fail(t, `${desc(t)} in ${ctx}`)
    }
    if (pipe.decl.length && !pipe.assign) vars.push(...pipe.decl)
    pipe.cmds.forEach((c, i) => {
      const k = c.args[0].k
      if (i > 0 && (k === 'lit' || k === 'nil' || k === 'dot')) fail(toks[p - 1], `non executable command in pipeline stage ${i + 1}`)
    })
    return pipe
  }

  /** Parses nodes until `{{end}}`/`{{else}}` (returned as the terminator) or EOF (when top-level). */
  function list(top: boolean): { nodes: Node[]; term: 'end' | 'else' | 'eof'; elseIf?: Node } {
    const nodes: Node[] = []
    for (;;) {
      const t = toks[p++]
      if (!t) {
        if (!top) fail(undefined, 'unexpected EOF')
        return { nodes, term: 'eof' }
      }
      if (t.t === 'text') { nodes.push({ k: 'text', text: String(t.v) }); continue }
      skipSpace()
      const kw = peek()
      const word = kw?.t === 'ident' ? String(kw.v) : ''
      if (word === 'end' || word === 'else') {
        p++
        if (top) fail(kw, `unexpected {{${word}}}`)
        skipSpace()
        const after = peek()
        if (word === 'else' && after?.t === 'ident' && (after.v === 'if' || after.v === 'with')) {
          p++
          return { nodes, term: 'else', elseIf: block(after.v, after.pos) }
        }
        const c = next()
        if (c.t !== 'close') fail(c, `unexpected ${JSON.stringify(src.slice(c.pos, c.end))} in ${word}`)
        return { nodes, term: word }
      }
      if (word === 'if' || word === 'range' || word === 'with') { p++; nodes.push(block(word, t.pos)); continue }
      if (['define', 'template', 'block', 'break', 'continue'].includes(word)) fail(kw, `{{${word}}} is not supported`)
      nodes.push({ k: 'action', pos: kw?.pos ?? t.pos, pipe: pipeline('command', 'close') })
    }
  }

  function block(kind: 'if' | 'with' | 'range', pos: number): Node {
    const depth = vars.length
    const pipe = pipeline(kind, 'close')
    const body = list(false)
    const node: Node = { k: kind, pos, pipe, list: body.nodes }
    if (body.term === 'else') {
      if (body.elseIf) node.elseList = [body.elseIf]
      else {
        const rest = list(false)
        if (rest.term !== 'end') fail(toks[p - 1], `expected end; found {{else}}`)
        node.elseList = rest.nodes
      }
    }
    vars.length = depth
    return node
  }

  return list(true).nodes
}
