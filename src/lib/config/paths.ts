// Where tsw keeps its files. One data dir per host: the CLI's context (which
// manager, which client certificate) and, on a manager host, the manager's state.
import { homedir } from 'node:os'
import { join } from 'node:path'

/** The data dir: the flag, else TSW_DATA_DIR, else /var/lib/tsw for root, ~/.tsw otherwise. */
export function resolveDataDir(flag?: string): string {
  if (flag) return flag
  if (process.env.TSW_DATA_DIR) return process.env.TSW_DATA_DIR
  return process.getuid?.() === 0 ? '/var/lib/tsw' : join(homedir(), '.tsw')
}

/** The files under one data dir. */
export function dataPaths(dataDir: string) {
  const manager = join(dataDir, 'manager')
  const tls = join(dataDir, 'tls')
  return {
    dataDir,
    context: join(dataDir, 'context.json'),
    tls,
    tlsCa: join(tls, 'ca.pem'),
    tlsCert: join(tls, 'cert.pem'),
    tlsKey: join(tls, 'key.pem'),
    manager,
    managerConfig: join(manager, 'config.json'),
    db: join(manager, 'state.db'),
    pidfile: join(manager, 'manager.pid'),
    logfile: join(manager, 'manager.log'),
    serverCert: join(manager, 'server-cert.pem'),
    serverKey: join(manager, 'server-key.pem'),
    /** The key-encryption key that seals the CA key in the store (pki/seal.ts). */
    caKek: join(manager, 'ca-kek'),
  }
}

export type DataPaths = ReturnType<typeof dataPaths>
