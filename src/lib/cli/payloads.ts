// What `secret` and `config` commands do, as docker/cli's (cli/command/secret,
// cli/command/config): read the payload from a file or stdin, send it, print the
// objects. The commands themselves only parse flags and call these.
import { readFileSync } from 'node:fs'
import { InvalidArgumentError } from '../errors/index.js'
import { renderInspect } from '../format/inspect.js'
import { renderPayloadPretty } from '../format/secrets.js'
import type { Secret } from '../types/index.js'
import { eachArg } from './errors.js'
import { kvMap, parseLabel, withFlag } from './service/opts/index.js'

/** The calls these make. */
export interface PayloadClient {
  get<T>(path: string): Promise<T>
  post<T>(path: string, opts: { body: unknown }): Promise<T>
  delete<T>(path: string): Promise<T>
}

/** The bytes of FILE, or of stdin for "-". Throws InvalidArgumentError naming the file. */
export function readPayload(file: string, stdin: () => Buffer = () => readFileSync(0)): Buffer {
  if (file === '-') return stdin()
  try {
    return readFileSync(file)
  } catch (err) {
    throw new InvalidArgumentError(`error reading content from "${file}": ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}`)
  }
}

/** Creates the secret or config NAME from `data`; returns its ID. */
export async function createPayloadObject(client: PayloadClient, kind: 'secret' | 'config', name: string, data: Buffer, labels: string[] = []): Promise<string> {
  const Labels = kvMap(labels.map((l) => withFlag(l, 'label', parseLabel)))
  const res = await client.post<{ ID: string }>(`/${kind}s/create`, { body: { Name: name, Labels, Data: data.toString('base64') } })
  return res.ID
}

/** `inspect`: the objects found (JSON, --format or --pretty); the refs not found are reported at the end. */
export async function inspectPayloads(client: PayloadClient, kind: 'secret' | 'config', refs: string[], opts: { format?: string; pretty?: boolean }, out: (s: string) => void): Promise<void> {
  if (opts.pretty && opts.format) throw new InvalidArgumentError('--format is incompatible with human friendly format')
  const found: Secret[] = []
  let failure: unknown
  await eachArg(refs, async (ref) => {
    found.push(await client.get<Secret>(`/${kind}s/${encodeURIComponent(ref)}`))
    return undefined
  }, () => undefined).catch((err) => { failure = err })
  if (opts.pretty) out(renderPayloadPretty(kind, found))
  else if (found.length || !failure) out(renderInspect(found, opts.format))
  if (failure) throw failure
}

/** `rm`: each one in turn, printing the argument removed; errors together at the end. */
export async function removePayloads(client: PayloadClient, kind: 'secret' | 'config', refs: string[], out: (s: string) => void): Promise<void> {
  await eachArg(refs, async (ref) => {
    await client.delete(`/${kind}s/${encodeURIComponent(ref)}`)
    return ref
  }, out)
}
