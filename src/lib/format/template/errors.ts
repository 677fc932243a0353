/** A parse or execution error; the message follows Go's text/template ("template: :1:2: executing …"). */
export class TemplateError extends Error {
  override name = 'TemplateError'
  /** Text rendered before an execution error (docker still prints a table header that failed part-way). */
  partial = ''
}

/** Line (1-based) and column (0-based byte-in-line, as Go counts) of offset pos in src. */
export function lineCol(src: string, pos: number): { line: number; col: number } {
  const before = src.slice(0, pos)
  const nl = before.lastIndexOf('\n')
  return { line: before.split('\n').length, col: nl < 0 ? pos : pos - nl - 1 }
}

/** A parse error in Go's words: `template: :LINE: msg`. */
export function parseError(src: string, pos: number, msg: string): TemplateError {
  return new TemplateError(`template: :${lineCol(src, pos).line}: ${msg}`)
}
