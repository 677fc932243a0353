// Executes a parsed template against data, with Go's text/template semantics for the supported subset.
import { TemplateError, lineCol } from './errors.js'
import { convert, truth, type FuncDef } from './funcs.js'
import type { Arg, Cmd, Node, Pipe } from './parser.js'
import { goString, goType } from './printf.js'

/**
 * What a missing key does: 'field' errors as for a Go struct ("can't evaluate field X"), 'error' as a
 * map with missingkey=error ("map has no entry for key"), 'invalid' yields Go's `<no value>`.
 */
export type MissingKey = 'field' | 'error' | 'invalid'
/** Execution settings. */
export interface ExecOptions { missingKey: MissingKey; funcs: Record<string, FuncDef>; typeName: string }

const NONE = Symbol('no final value')
type Located = { pos: number; text: string }

class Failure extends Error {
  constructor(readonly at: Located, msg: string) { super(msg) }
}

/** Renders nodes with data as dot and `$`; throws TemplateError carrying the partial output. */
export function execute(src: string, nodes: Node[], data: unknown, opts: ExecOptions): string {
  const out: string[] = []
  const vars: { name: string; value: unknown }[] = [{ name: '$', value: data }]

  const lookup = (name: string): unknown => {
    for (let i = vars.length - 1; i >= 0; i--) if (vars[i].name === name) return vars[i].value
    return undefined
  }

  function field(recv: unknown, name: string, at: Located): unknown {
    if (recv === undefined) {
      if (opts.missingKey === 'invalid') return undefined
      throw new Failure(at, `nil data; no entry for key "${name}"`)
    }
    if (recv === null) throw new Failure(at, `nil pointer evaluating interface {}.${name}`)
    if (typeof recv !== 'object' || Array.isArray(recv)) throw new Failure(at, `can't evaluate field ${name} in type ${goType(recv)}`)
    const o = recv as Record<string, unknown>
    if (Object.hasOwn(o, name)) return o[name]
    if (opts.missingKey === 'invalid') return undefined
    if (opts.missingKey === 'error') throw new Failure(at, `map has no entry for key "${name}"`)
    throw new Failure(at, `can't evaluate field ${name} in type ${opts.typeName}`)
  }

  const chain = (v: unknown, names: string[], at: Located): unknown => names.reduce((r, n) => field(r, n, at), v)

  function arg(dot: unknown, a: Arg): unknown {
    switch (a.k) {
      case 'field': return chain(dot, a.names, a)
      case 'dot': return dot
      case 'var': return chain(lookup(a.name), a.names, a)
      case 'lit': return a.v
      case 'nil': return null
      case 'func': return call(dot, a.name, [], NONE, a)
      case 'pipe': return chain(pipe(dot, a.pipe, true), a.names, a)
    }
  }

  function call(dot: unknown, name: string, args: Arg[], final: unknown, at: Located): unknown {
    const def = opts.funcs[name]
    if (!def) throw new Failure(at, `"${name}" is not a defined function`)
    const n = args.length + (final === NONE ? 0 : 1)
    const min = def.params.length
    if (def.variadic ? n < min : n !== min) {
      throw new Failure(at, `wrong number of args for ${name}: want ${def.variadic ? 'at least ' : ''}${min} got ${n}`)
    }
    const kind = (i: number): FuncDef['params'][number] => def.params[i] ?? def.variadic ?? 'any'
    // and/or evaluate their operands lazily, stopping at the first that decides the result.
    if (name === 'and' || name === 'or') {
      let v: unknown
      for (const a of args) {
        v = arg(dot, a)
        if (truth(v) === (name === 'or')) return v
      }
      return final === NONE ? v : final
    }
    const values = args.map((a) => arg(dot, a))
    if (final !== NONE) values.push(final)
    try {
      return def.fn(...values.map((v, i) => convert(kind(i), v)))
    } catch (e) {
      throw new Failure(at, (e as Error).message)
    }
  }

  function command(dot: unknown, cmd: Cmd, final: unknown): unknown {
    const [first, ...rest] = cmd.args
    if (first.k === 'func') return call(dot, first.name, rest, final, cmd)
    if (first.k === 'nil') throw new Failure(first, 'nil is not a command')
    if (rest.length > 0 || final !== NONE) throw new Failure(first, `can't give argument to non-function ${first.text}`)
    return arg(dot, first)
  }

  function pipe(dot: unknown, p: Pipe, declare: boolean): unknown {
    let v: unknown = NONE
    for (const cmd of p.cmds) v = command(dot, cmd, v)
    if (declare && p.decl.length) {
      if (!p.assign) vars.push({ name: p.decl[0], value: v })
      else for (let i = vars.length - 1; i >= 0; i--) if (vars[i].name === p.decl[0]) { vars[i].value = v; break }
    }
    return v
  }

  function range(dot: unknown, node: Extract<Node, { list: Node[] }>): void {
    const v = pipe(dot, node.pipe, false)
    let entries: [unknown, unknown][]
    if (v === undefined || v === null) entries = []
    else if (Array.isArray(v)) entries = v.map((e, i) => [i, e])
    else if (typeof v === 'object') entries = Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]])
    else if (typeof v === 'number' && Number.isInteger(v)) entries = Array.from({ length: Math.max(v, 0) }, (_, i) => [i, i])
    else throw new Failure(node.pipe.cmds[0], `range can't iterate over ${goString(v)}`)
    if (entries.length === 0) { if (node.elseList) walk(dot, node.elseList); return }
    const [first, second] = node.pipe.decl
    for (const [k, e] of entries) {
      const mark = vars.length
      if (second !== undefined) vars.push({ name: first, value: k }, { name: second, value: e })
      else if (first !== undefined) vars.push({ name: first, value: e })
      walk(e, node.list)
      vars.length = mark
    }
  }

  function walk(dot: unknown, nodes: Node[]): void {
    for (const node of nodes) {
      const mark = vars.length
      switch (node.k) {
        case 'text': out.push(node.text); break
        case 'action': {
          const v = pipe(dot, node.pipe, true)
          if (node.pipe.decl.length === 0) out.push(v === undefined ? '<no value>' : goString(v))
          continue // declarations stay visible until the end of the enclosing block
        }
        case 'range': range(dot, node); break
        default: {
          const v = pipe(dot, node.pipe, true)
          const body = truth(v) ? node.list : node.elseList
          if (body) walk(node.k === 'with' && truth(v) ? v : dot, body)
        }
      }
      if (vars.length !== mark) vars.length = mark
    }
  }

  try {
    walk(data, nodes)
    return out.join('')
  } catch (e) {
    if (!(e instanceof Failure)) throw e
    const { line, col } = lineCol(src, e.at.pos)
    const err = new TemplateError(`template: :${line}:${col}: executing "" at <${e.at.text}>: ${e.message}`)
    err.partial = out.join('')
    throw err
  }
}
