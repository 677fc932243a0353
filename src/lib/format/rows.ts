// renderList plus one rule of docker's row contexts: `--format json` marshals the row with
// json.Marshal, which escapes <, > and & ("*:80-\u003e80/tcp"), unlike the template's json function.
import { goJSON } from './json.js'
import { renderList, type ListOptions } from './list.js'

/** The row with its keys in Go map order (sorted). */
function sortedKeys(row: object): Record<string, unknown> {
  const r = row as Record<string, unknown>
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(r).sort()) out[k] = r[k]
  return out
}

/** Renders row contexts as renderList does; `json` (or a bare `{{json .}}`) prints each row as docker marshals it. */
export function renderRows<T extends object>(rows: T[], opts: ListOptions): string {
  const f = (opts.format ?? '').trim()
  if (f === 'json' || /^\{\{\s*json\s+\.\s*\}\}$/.test(f)) {
    return rows.map((r) => goJSON(sortedKeys(r), { escapeHTML: true }) + '\n').join('')
  }
  return renderList(rows, opts)
}
