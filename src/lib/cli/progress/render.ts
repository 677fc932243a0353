// Progress events → terminal text, as docker's jsonmessage display draws
// them: on a TTY one line per id, redrawn in place (cursor moves, bars when
// the terminal is wider than 110 columns); elsewhere plain lines, each
// printed once when it changes, without the bars.
import type { ProgressEvent } from './updaters.js'

/** Docker's progress bar: "[=====>     ] " (50 wide), or "" on narrow terminals and for lines without a count. */
export function progressBar(ev: ProgressEvent, columns: number): string {
  const current = ev.current ?? 0
  const total = ev.total ?? 0
  if (total <= 0 || columns <= 110) return ''
  const pct = Math.min(50, Math.floor(Math.floor((current / total) * 100) / 2))
  return `[${'='.repeat(pct)}>${' '.repeat(Math.max(0, 50 - pct))}] `
}

export interface Renderer {
  /** The text that shows these events. */
  write(events: ProgressEvent[]): string
}

const up = (n: number) => (n > 0 ? `\x1b[${n}A` : '')
const down = (n: number) => (n > 0 ? `\x1b[${n}B` : '')

/** Draws on a terminal: the cursor rests on the line below the last progress line. */
export class TtyRenderer implements Renderer {
  private readonly lines = new Map<string, number>()

  constructor(private readonly columns: number) {}

  write(events: ProgressEvent[]): string {
    let out = ''
    for (const ev of events) {
      if (ev.message) {
        // A line that is not progress ends the block of redrawable lines.
        this.lines.clear()
        out += `${ev.id ? `${ev.id}: ` : ''}${ev.action}\n`
        continue
      }
      let line = this.lines.get(ev.id)
      if (line === undefined) {
        line = this.lines.size
        this.lines.set(ev.id, line)
        out += '\n'
      }
      const diff = this.lines.size - line
      out += `${up(diff)}\x1b[2K\r${ev.id}: ${ev.action} ${progressBar(ev, this.columns)}\r${down(diff)}`
    }
    return out
  }
}

/** Prints for logs and pipes: a line when what an id shows changes; no bars, no blank lines. */
export class PlainRenderer implements Renderer {
  private readonly last = new Map<string, string>()

  write(events: ProgressEvent[]): string {
    let out = ''
    for (const ev of events) {
      const text = `${ev.id ? `${ev.id}: ` : ''}${ev.action}`.trimEnd()
      if (ev.message) { out += text + '\n'; continue }
      // Docker leaves out lines that would carry a bar when not on a terminal.
      if ((ev.current ?? 0) > 0 || (ev.total ?? 0) > 0 || !ev.action.trim()) continue
      if (this.last.get(ev.id) === text) continue
      this.last.set(ev.id, text)
      out += text + '\n'
    }
    return out
  }
}
