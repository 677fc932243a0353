// `network rm` as docker's runRemove (cli/command/network/remove.go): each argument in
// turn, asking before the routing-mesh network goes; errors are printed as they happen
// and the command ends with "exit status 1" when any failed.
import { ApiError } from '../../client/client.js'
import type { Network } from '../../types/index.js'
import { confirm as askUser } from '../confirm.js'
import { describeError, MultiError } from '../errors.js'

/** The calls `network rm` makes. */
export interface NetworkRemoveClient {
  get<T>(path: string): Promise<T>
  delete<T>(path: string): Promise<T>
}

export interface RemoveOptions {
  /** --force: a network that does not exist is no error. */
  force?: boolean
  out: (s: string) => void
  err: (s: string) => void
  /** Asks the user (default: docker's prompt on stdin/stdout). */
  confirm?: (message: string) => Promise<boolean>
}

export const INGRESS_WARNING = 'WARNING! Before removing the routing-mesh network, ' +
  'make sure all the nodes in your swarm run the same docker engine version. ' +
  'Otherwise, removal may not be effective and functionality of newly create ' +
  'ingress networks will be impaired.\nAre you sure you want to continue?'

/** Removes the networks named (by name, ID or ID prefix), printing each argument removed. Throws MultiError("exit status 1") when any failed. */
export async function removeNetworks(client: NetworkRemoveClient, refs: string[], opts: RemoveOptions): Promise<void> {
  const ask = opts.confirm ?? ((m: string) => askUser(m, process.stdin, opts.out))
  let failed = false
  for (const ref of refs) {
    const path = `/networks/${encodeURIComponent(ref)}`
    let network: Network | undefined
    try {
      network = await client.get<Network>(path)
    } catch { /* the DELETE says what is wrong */ }
    if (network?.Ingress && !(await ask(INGRESS_WARNING))) continue
    try {
      await client.delete(path)
    } catch (err) {
      if (opts.force && err instanceof ApiError && err.status === 404) continue
      opts.err(describeError(err) + '\n')
      failed = true
      continue
    }
    opts.out(ref + '\n')
  }
  // docker's cli.StatusError{Status: "exit status 1"}, which it prints.
  if (failed) throw new MultiError(['exit status 1'])
}
