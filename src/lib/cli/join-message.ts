/** The lines `swarm init` and `swarm join-token` print for a role. */
export function joinInstructions(role: 'worker' | 'manager', token: string, addr: string): string {
  return `To add a ${role} to this swarm, run the following command:\n\n    tsw swarm join --token ${token} ${addr}\n\n`
}
