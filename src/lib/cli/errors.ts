// How the CLI words errors: the manager's answers as docker prints a daemon's.
import { ApiError } from '../client/client.js'
import { TswError } from '../errors/index.js'

/** The line printed for an error. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) return `Error response from daemon: ${err.message}`
  if (err instanceof MultiError) return err.message
  if (err instanceof Error && err.name === 'TemplateError') return err.message
  return `Error: ${err instanceof Error ? err.message : String(err)}`
}

/** Whether the CLI prints this error itself (else oclif does). */
export function isUserError(err: unknown): boolean {
  return err instanceof TswError || err instanceof MultiError || (err instanceof Error && err.name === 'TemplateError')
}

/** Several failures of one command, reported together. */
export class MultiError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join('\n'))
  }
}

/** What `gatherArgs` got: the objects found, and one line per argument that failed. */
export interface Gathered<T> {
  found: T[]
  errors: string[]
  /** Throws a MultiError of `errors` when there are any (called once what was found is printed). */
  rethrow(): void
}

/** Runs `fn` for every argument in turn and keeps what it returns; failures become error lines, as docker's inspect and ps report them after the output. */
export async function gatherArgs<T>(args: string[], fn: (arg: string) => Promise<T>): Promise<Gathered<T>> {
  const found: T[] = []
  const errors: string[] = []
  for (const arg of args) {
    try {
      found.push(await fn(arg))
    } catch (err) {
      errors.push(describeError(err))
    }
  }
  return { found, errors, rethrow: () => { if (errors.length) throw new MultiError(errors) } }
}

/**
 * Runs `fn` for every argument, printing what it returns; failures are reported together at the end, as docker does.
 * With `concurrency` > 1, that many run at once; lines still come in the arguments' order, each once all before it are done.
 */
export async function eachArg(args: string[], fn: (arg: string) => Promise<string | undefined>, out: (s: string) => void, concurrency = 1): Promise<void> {
  const errors: string[] = []
  const settle = async (arg: string) => {
    try {
      return { line: await fn(arg) }
    } catch (err) {
      return { error: describeError(err) }
    }
  }
  const report = ({ line, error }: { line?: string; error?: string }) => {
    if (error !== undefined) errors.push(error)
    else if (line !== undefined) out(line + '\n')
  }
  const pending: Array<Promise<{ line?: string; error?: string }>> = []
  for (const arg of args) {
    pending.push(settle(arg))
    if (pending.length >= concurrency) report(await pending.shift()!)
  }
  for (const p of pending) report(await p)
  if (errors.length) throw new MultiError(errors)
}
