// JSON as Go's encoding/json writes it, for `{{json .}}` and inspect output.

/** Options: `indent` per level (docker inspect uses 4 spaces); `escapeHTML` turns <, >, & into \u003c… like json.Marshal. */
export interface GoJSONOptions { indent?: string; escapeHTML?: boolean }

const HTML: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026' }

/**
 * Encodes v like Go's json package: compact unless indented, keys in the object's own order,
 * U+2028/U+2029 always escaped, HTML characters only when asked (docker's `json` function and the
 * daemon's responses both turn HTML escaping off). `undefined` encodes as `null`.
 */
export function goJSON(v: unknown, opts: GoJSONOptions = {}): string {
  const s = JSON.stringify(v, null, opts.indent) ?? 'null'
  // These characters can only occur inside string literals of JSON.stringify's output.
  const out = s.replace(/[\u2028\u2029]/g, (c) => (c === '\u2028' ? '\\u2028' : '\\u2029'))
  return opts.escapeHTML ? out.replace(/[<>&]/g, (c) => HTML[c]) : out
}
