// stack rm as docker/cli's runRemove: services (sorted by name), then
// secrets, configs and networks of the stack, a "Removing …" line each;
// failures are reported and the rest still removed.
import { describeError } from '../cli/errors.js'
import { stackNetworks, stackObjects, stackServices, type StackClient, type SwarmObject } from './lookup.js'

export interface RemoveOptions {
  out: (line: string) => void
  err: (line: string) => void
}

/** Removes one stack. Returns "nothing" when it has no objects, "failed" when something could not be removed. */
export async function removeStack(client: StackClient, stack: string, opts: RemoveOptions): Promise<'removed' | 'nothing' | 'failed'> {
  const [services, networks, secrets, configs] = await Promise.all([
    stackServices(client, stack), stackNetworks(client, stack),
    stackObjects(client, 'secret', stack), stackObjects(client, 'config', stack),
  ])
  if (services.length + networks.length + secrets.length + configs.length === 0) return 'nothing'
  let failed = false
  const remove = async (kind: string, name: string, path: string) => {
    opts.out(`Removing ${kind} ${name}`)
    try {
      await client.delete(path)
    } catch (err) {
      failed = true
      opts.err(`Failed to remove ${kind} ${name}: ${describeError(err)}`)
    }
  }
  const byName = <T>(xs: T[], name: (x: T) => string) => [...xs].sort((a, b) => (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0))
  for (const s of byName(services, (x) => x.Spec.Name)) await remove('service', s.Spec.Name, `/services/${s.ID}`)
  for (const s of byName<SwarmObject>(secrets, (x) => x.Spec.Name)) await remove('secret', s.Spec.Name, `/secrets/${s.ID}`)
  for (const c of byName<SwarmObject>(configs, (x) => x.Spec.Name)) await remove('config', c.Spec.Name, `/configs/${c.ID}`)
  // GET /networks spells the ID `Id`, as docker does.
  for (const n of byName(networks, (x) => x.Name)) await remove('network', n.Name, `/networks/${n.Id ?? n.ID}`)
  return failed ? 'failed' : 'removed'
}
