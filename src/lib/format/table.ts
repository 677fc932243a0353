// docker's table layout: Go's text/tabwriter (docker's fork) set up as NewWriter(out, 10, 1, 3, ' ', 0).
import { displayWidth } from './width.js'

/** Tabwriter settings; docker uses minwidth 10, padding 3, padchar ' ' (tabwidth only matters for '\t' padding). */
export interface TabOptions { minwidth: number; padding: number; padchar: string }

/** docker's table settings. */
export const DOCKER_TABS: TabOptions = { minwidth: 10, padding: 3, padchar: ' ' }

interface Cell { text: string; width: number }

/** Splits one flush section into lines of cells; a cell is ended by '\t' or '\v', a line by '\n'. */
function cells(section: string): Cell[][] {
  return section.split('\n').map((line) => line.split(/[\t\v]/).map((text) => ({ text, width: displayWidth(text) })))
}

/**
 * Aligns tab-terminated cells into columns with Go's elastic tabstops: a column is a run of adjacent
 * lines that have a cell there; its width is max(minwidth, widest cell + padding). Text after a line's
 * last tab is not part of a column and is never padded. '\f' ends every column (and prints as '\n').
 */
export function tabwrite(text: string, opts: TabOptions = DOCKER_TABS): string {
  return text.split('\f').map((s) => format(cells(s), opts)).join('\n')
}

function format(lines: Cell[][], opts: TabOptions): string {
  const out: string[] = []
  const widths: number[] = []
  const pad = (n: number): string => opts.padchar.repeat(Math.max(n, 0))

  const writeLines = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      let s = ''
      lines[i].forEach((c, j) => { s += j < widths.length ? c.text + pad(widths[j] - c.width) : c.text })
      out.push(s)
    }
  }

  // Column `widths.length` of lines [from, to): find each block of lines that has a cell there, size it, recurse.
  const block = (from: number, to: number): void => {
    const col = widths.length
    let start = from
    for (let i = from; i < to; i++) {
      if (col >= lines[i].length - 1) continue
      writeLines(start, i)
      let width = opts.minwidth
      let end = i
      for (; end < to && col < lines[end].length - 1; end++) width = Math.max(width, lines[end][col].width + opts.padding)
      widths.push(width)
      block(i, end)
      widths.pop()
      start = end
      i = end - 1
    }
    writeLines(start, to)
  }

  block(0, lines.length)
  return out.join('\n')
}

/** Lays out rows of cells as docker prints a table: each row tab-separated, one line each, newline-terminated. */
export function renderTable(rows: string[][], opts: TabOptions = DOCKER_TABS): string {
  return rows.length === 0 ? '' : tabwrite(rows.map((r) => r.join('\t') + '\n').join(''), opts)
}
