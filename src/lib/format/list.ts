// List output (`node ls`, `service ls`, …) with docker's formatter rules: table, quiet, json or a template.
import { tabwrite } from './table.js'
import { TemplateError, compileTemplate } from './template/index.js'

/** How to render a list; `headers` maps template field names to column titles (ID → "ID"). */
export interface ListOptions {
  /** The --format value: '' or 'table' (default table), 'table TEMPLATE', 'json' or a template. */
  format?: string
  /** --quiet: only `quietField` per line (ignored when a custom format is given, as in docker). */
  quiet?: boolean
  /** The command's default, e.g. 'table {{.ID}}\t{{.Hostname}}…'. */
  defaultTable: string
  quietField?: string
  headers: Record<string, string>
}

/** Picks the effective format like docker's NewListFormat: a bare 'table' means the default (or quiet) one. */
export function listFormat(opts: ListOptions): string {
  const source = opts.format || 'table'
  if (source !== 'table') return source
  return opts.quiet ? `{{.${opts.quietField ?? 'ID'}}}` : opts.defaultTable
}

/** docker's formatter.Context preFormat: strips 'table', maps 'json' to {{json .}}, trims spaces, expands \t and \n. */
function finalFormat(format: string): string {
  const f = format.startsWith('table') ? format.slice(5) : format === 'json' ? '{{json .}}' : format
  return f.replace(/^ +| +$/g, '').replace(/\\t|\\n/g, (m) => (m === '\\t' ? '\t' : '\n'))
}

/** The row with its keys sorted: docker marshals a row context as a Go map, so `{{json .}}` lists keys in order. */
function sorted(row: object): object {
  const keys = Object.keys(row)
  if (keys.every((k, i) => i === 0 || keys[i - 1] <= k)) return row
  const r = row as Record<string, unknown>
  const out: Record<string, unknown> = {}
  for (const k of keys.sort()) out[k] = r[k]
  return out
}

/**
 * Renders items (plain row objects whose keys are the template fields) one line per item, a table
 * with a header row when the format starts with 'table'. Throws TemplateError, worded like docker's
 * "template parsing error: template: :1:2: executing …".
 */
export function renderList<T extends object>(items: T[], opts: ListOptions): string {
  const format = listFormat(opts)
  const src = finalFormat(format)
  const wrap = (e: unknown): never => {
    if (e instanceof TemplateError) throw new TemplateError(`template parsing error: ${e.message}`)
    throw e
  }
  let body = ''
  try {
    const row = compileTemplate(src)
    for (const item of items) body += row(sorted(item)) + '\n'
  } catch (e) {
    wrap(e)
  }
  if (!format.startsWith('table')) return body
  let header: string
  try {
    header = compileTemplate(src, { header: true, missingKey: 'invalid' })(opts.headers)
  } catch (e) {
    // docker ignores a header that fails to render and prints what it produced.
    header = e instanceof TemplateError ? e.partial : wrap(e)
  }
  return tabwrite(header + '\n' + body)
}
