/** The lines `swarm init --autolock`, `swarm update --autolock=true` and `swarm unlock-key` print (docker's, with tsw's command). */
export function unlockInstructions(key: string): string {
  return 'To unlock a swarm manager after it restarts, run the `tsw swarm unlock`\ncommand and provide the following key:\n\n' +
    `    ${key}\n\nRemember to store this key in a password manager, since without it you\nwill not be able to restart the manager.\n`
}
