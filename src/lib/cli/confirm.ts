// docker's yes/no prompt (cli/internal/prompt.Confirm): "<message> [y/N] " on stdout,
// then one line of input; only "y" (any case, spaces trimmed) is yes. No input is no.
import type { Readable } from 'node:stream'

/** Asks; resolves true when the first line read is "y" or "Y". */
export function confirm(message: string, input: Readable = process.stdin, out: (s: string) => void = (s) => process.stdout.write(s)): Promise<boolean> {
  out(`${message} [y/N] `)
  return new Promise((resolve) => {
    let buf = ''
    const done = (line: string): void => {
      input.off('data', onData)
      input.off('end', onEnd)
      input.off('error', onEnd)
      input.pause()
      resolve(line.trim().toLowerCase() === 'y')
    }
    const onData = (chunk: Buffer | string): void => {
      buf += chunk.toString()
      const nl = buf.indexOf('\n')
      if (nl >= 0) done(buf.slice(0, nl))
    }
    const onEnd = (): void => done(buf)
    input.on('data', onData)
    input.once('end', onEnd)
    input.once('error', onEnd)
  })
}
