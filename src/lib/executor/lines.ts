// Chunks → lines. Engine streams (events, pull progress, logs) arrive as
// chunks that can hold several lines or half of one.

/** Splits chunks into lines (without "\n" or "\r\n"), keeping the remainder for the next chunk. */
export class LineSplitter {
  private rest = ''

  constructor(private readonly onLine: (line: string) => void) {}

  /** Feeds a chunk; calls onLine for each line it completes. */
  push(chunk: Buffer | string): void {
    this.rest += chunk.toString()
    let nl: number
    while ((nl = this.rest.indexOf('\n')) >= 0) {
      const line = this.rest.slice(0, nl)
      this.rest = this.rest.slice(nl + 1)
      this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line)
    }
  }

  /** Ends the input: an unterminated last line is passed on. */
  end(): void {
    const line = this.rest
    this.rest = ''
    if (line) this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line)
  }
}
