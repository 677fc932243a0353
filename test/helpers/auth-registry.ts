// A private registry for tests: Debian's docker-registry with htpasswd auth
// and TLS on the lab's gateway, beside (never instead of) the lab's open
// registry. The engines trust its certificate through the certs.d folder
// dockerd reads at each pull, under the registry's own host:port.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { join } from 'node:path'
import { GATEWAY, run, tempDir, waitFor } from './lab.js'

/** The folder where dockerd looks for a registry's CA: <certs.d>/<host:port>/ca.crt. */
const CERTS_D = '/etc/docker/certs.d'

/** A running registry that wants a user name and password. */
export class AuthRegistry {
  readonly dir = tempDir('auth-registry')
  private child?: ChildProcess

  constructor(readonly port: number, readonly user = 'tsw', readonly password = 'pa55-word') {}

  /** host:port, as image references name it. */
  get addr(): string {
    return `${GATEWAY}:${this.port}`
  }

  /** A DOCKER_CONFIG folder whose config.json holds this registry's credentials. */
  dockerConfig(): string {
    const dir = join(this.dir, 'docker-config')
    mkdirSync(dir, { recursive: true })
    const auth = Buffer.from(`${this.user}:${this.password}`).toString('base64')
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths: { [this.addr]: { auth } } }))
    return dir
  }

  /** Makes its certificate (trusted by the engines), its htpasswd file (bcrypt) and config, and starts it. */
  async start(): Promise<void> {
    const d = this.dir
    const cert = await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${GATEWAY}`,
      '-addext', `subjectAltName=IP:${GATEWAY}`, '-keyout', join(d, 'key.pem'), '-out', join(d, 'cert.pem')])
    if (cert.code !== 0) throw new Error(`openssl: ${cert.stderr}`)
    const pw = await run('htpasswd', ['-Bbn', this.user, this.password])
    if (pw.code !== 0) throw new Error(`htpasswd: ${pw.stderr}`)
    writeFileSync(join(d, 'htpasswd'), pw.stdout)
    writeFileSync(join(d, 'config.yml'), [
      'version: 0.1', 'log: {level: warn}',
      `storage: {filesystem: {rootdirectory: ${join(d, 'data')}}}`,
      `http: {addr: "${this.addr}", tls: {certificate: ${join(d, 'cert.pem')}, key: ${join(d, 'key.pem')}}}`,
      `auth: {htpasswd: {realm: tsw-test, path: ${join(d, 'htpasswd')}}}`, '',
    ].join('\n'))
    mkdirSync(join(CERTS_D, this.addr), { recursive: true })
    writeFileSync(join(CERTS_D, this.addr, 'ca.crt'), readFileSync(join(d, 'cert.pem')))
    this.child = spawn('docker-registry', ['serve', join(d, 'config.yml')], { stdio: 'ignore' })
    await waitFor(() => new Promise<boolean>((resolve) => {
      const s = connect(this.port, GATEWAY, () => { s.end(); resolve(true) })
      s.on('error', () => resolve(false))
    }), 15_000, `the registry on ${this.addr}`)
  }

  /** Stops it (the process this started) and removes its files and the engines' trust in it. */
  stop(): void {
    this.child?.kill('SIGTERM')
    rmSync(join(CERTS_D, this.addr), { recursive: true, force: true })
    rmSync(this.dir, { recursive: true, force: true })
  }
}
