// A Go text/template subset: what docker's --format accepts (see funcs.ts for the functions).
import { execute, type MissingKey } from './exec.js'
import { FUNCS, HEADER_FUNCS } from './funcs.js'
import { parse } from './parser.js'

export { TemplateError } from './errors.js'
export type { MissingKey } from './exec.js'

/** Options: missing-key behaviour (default 'field'), docker's header functions, type name for errors. */
export interface TemplateOptions { missingKey?: MissingKey; header?: boolean; typeName?: string }

const NAMES = new Set(Object.keys(FUNCS))

/** Compiles a template; the result renders data (as `.` and `$`). Both throw TemplateError. */
export function compileTemplate(src: string, opts: TemplateOptions = {}): (data: unknown) => string {
  const nodes = parse(src, NAMES)
  const exec = { missingKey: opts.missingKey ?? 'field', funcs: opts.header ? HEADER_FUNCS : FUNCS, typeName: opts.typeName ?? 'object' }
  return (data) => execute(src, nodes, data, exec)
}
