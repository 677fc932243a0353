// What a swarm's secrets leave on an engine when its manager is killed mid-task
// (the tests end with SIGKILL): filler containers and per-task secrets volumes,
// labelled with the cluster (io.tsw.secrets.cluster), not as tasks.
import { docker } from '../../helpers/lab.js'

/** Removes the fillers and secrets volumes of cluster `clusterId` on lab engine i. */
export async function removeSecretPieces(i: number, clusterId: string): Promise<void> {
  const filter = `label=io.tsw.secrets.cluster=${clusterId}`
  const fillers = (await docker(i, 'ps', '-aq', '--filter', filter)).stdout.split('\n').filter(Boolean)
  if (fillers.length) await docker(i, 'rm', '-f', ...fillers)
  const volumes = (await docker(i, 'volume', 'ls', '-q', '--filter', filter)).stdout.split('\n').filter(Boolean)
  if (volumes.length) await docker(i, 'volume', 'rm', '-f', ...volumes)
}
