// Chunks → lines. Engine streams (events, pull progress, logs) arrive as
// chunks that can hold several lines or half of one.

/** The longest line kept (events and progress lines are well under a KiB; log lines are split by docker at 16 KiB). */
export const MAX_LINE = 1 << 20

/** Splits chunks into lines (without "\n" or "\r\n"), keeping the remainder for the next chunk. */
export class LineSplitter {
  private rest = ''
  /** Inside a line longer than maxLine: dropped up to its end. */
  private skipping = false

  /** `maxLine`: a longer line (an engine gone wrong, or hostile) is dropped rather than held in memory. */
  constructor(private readonly onLine: (line: string) => void, private readonly maxLine = MAX_LINE) {}

  /** Feeds a chunk; calls onLine for each line it completes. */
  push(chunk: Buffer | string): void {
    this.rest += chunk.toString()
    let nl: number
    while ((nl = this.rest.indexOf('\n')) >= 0) {
      const line = this.rest.slice(0, nl)
      this.rest = this.rest.slice(nl + 1)
      if (this.skipping) {
        this.skipping = false
        continue
      }
      this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line)
    }
    if (this.rest.length > this.maxLine) {
      this.rest = ''
      this.skipping = true
    }
  }

  /** Ends the input: an unterminated last line is passed on. */
  end(): void {
    const line = this.rest
    this.rest = ''
    if (this.skipping) return void (this.skipping = false)
    if (line) this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line)
  }
}
