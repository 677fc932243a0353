// `inspect` output as docker prints it (cli/command/inspect).
import { goJSON } from './json.js'
import { TemplateError, compileTemplate } from './template/index.js'

/**
 * Renders inspected objects: with no format an array indented by 4 spaces (docker re-indents the
 * daemon's JSON, which does not escape HTML), with 'json' the same array compact, otherwise the
 * template once per object, each followed by a newline. A missing key is an error, as in docker's
 * fallback (`map has no entry for key "X"`). Throws TemplateError ("template parsing error: …").
 */
export function renderInspect(objects: unknown[], format?: string): string {
  if (!format) return (objects.length ? goJSON(objects, { indent: '    ' }) : '[]') + '\n'
  if (format === 'json') return goJSON(objects) + '\n'
  try {
    const tmpl = compileTemplate(format, { missingKey: 'error' })
    const out = objects.map((o) => tmpl(o) + '\n').join('')
    return out === '' ? '\n' : out
  } catch (e) {
    if (e instanceof TemplateError) throw new TemplateError(`template parsing error: ${e.message}`)
    throw e
  }
}
