// The manager hardened, as a user sees it on the lab: revoked admin bundles refused
// by the running manager, the CA key sealed in the store, warnings for plain TCP
// engines, bad --advertise-addr and predefined network names refused, ssh host keys
// pinned, and wrong join tokens rate-limited (last: it holds back the test host).
import { X509Certificate } from 'node:crypto'
import { cpSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { request } from 'node:https'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectEngine, probeEngine } from '../../../src/lib/engine/index.js'
import { generateKeyPair } from '../../../src/lib/pki/index.js'
import { GATEWAY, hostIp, LabSwarm, ROOT, run, SSH_KEY, tcpEngine, tempDir, tsw, waitFor } from '../../helpers/lab.js'

const SSHD_ENGINE = { URL: 'ssh://root@10.213.0.12:22?socket=/var/lib/tsw-lab/node02/docker.sock', SSHKey: readFileSync(SSH_KEY, 'utf8') }

describe('a hardened manager', () => {
  const swarm = new LabSwarm(2401)
  const tlsDir = () => join(swarm.dir(1), 'tls')
  const dockerWith = (certPath: string, ...args: string[]) => run('docker', args, { ...swarm.dockerEnv(1), DOCKER_CERT_PATH: certPath })
  let joined: { code: number; stderr: string }

  /** A raw POST with the bundle in `dir` (or none). */
  const post = (path: string, body: unknown, dir?: string) => new Promise<{ status: number; json: { message?: string } }>((resolve, reject) => {
    const f = (n: string) => readFileSync(join(dir ?? tlsDir(), n), 'utf8')
    const payload = JSON.stringify(body)
    const req = request({
      host: GATEWAY, port: swarm.port, method: 'POST', path, ca: f('ca.pem'), ...(dir ? { cert: f('cert.pem'), key: f('key.pem') } : {}),
      headers: { 'Content-Type': 'application/json' },
    }, (res) => {
      let text = ''
      res.on('data', (c) => (text += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text || '{}') }))
    })
    req.on('error', reject)
    req.end(payload)
  })

  beforeAll(async () => {
    const init = await swarm.init()
    expect(init.code, init.stderr).toBe(0)
    // Without TSW_INSECURE_OK, as a user would run it.
    joined = await run(process.execPath, [join(ROOT, 'bin/run.js'), 'swarm', 'join', '--token', await swarm.token(), '--engine', tcpEngine(2), swarm.addr],
      { TSW_DATA_DIR: swarm.dir(2), TSW_INSECURE_OK: '' })
  }, 120_000)
  afterAll(() => swarm.destroy(), 60_000)

  it('join warns about a plain tcp:// engine off loopback, and joins', () => {
    expect(joined.code, joined.stderr).toBe(0)
    expect(joined.stderr).toBe(`WARNING: the engine ${tcpEngine(2)} is reached over plain TCP: anyone who can reach it on that network controls it (root on its host) and sees the swarm's traffic to it. Use tcp:// with TLS (--engine-tlscacert, --engine-tlscert, --engine-tlskey) or ssh://; on a trusted network, TSW_INSECURE_OK=1 silences this.\n`)
  })

  it('the CA key is not in the state files in clear; its key-encryption key is 0600 in the manager dir', () => {
    const manager = join(swarm.dir(1), 'manager')
    expect(statSync(join(manager, 'ca-kek')).mode & 0o777).toBe(0o600)
    const files = readdirSync(manager).filter((f) => f.startsWith('state.db'))
    expect(files).toContain('state.db')
    for (const f of files) expect(readFileSync(join(manager, f)).includes('BEGIN PRIVATE KEY')).toBe(false)
    expect(files.some((f) => readFileSync(join(manager, f)).includes('tsw-sealed:v1:'))).toBe(true)
  })

  it('a revoked admin bundle is refused by the running manager, on requests and renewal; its host is given a new one', async () => {
    // A copy of the host's bundle, as if it leaked.
    const leak = join(tempDir('leak'), 'tls')
    cpSync(tlsDir(), leak, { recursive: true })
    expect((await dockerWith(leak, 'node', 'ls', '-q')).code).toBe(0)
    const serial = new X509Certificate(readFileSync(join(leak, 'cert.pem'), 'utf8')).serialNumber
    // The manager names a serial without leading zeros (one serial in 16 starts with a 0 digit).
    const shown = serial.replace(/^0+(?=.)/, '')
    const cn = /CN=(.*)/.exec(new X509Certificate(readFileSync(join(leak, 'cert.pem'), 'utf8')).subject)![1]

    const revoked = await swarm.tsw(1, 'swarm', 'ca', '--revoke', serial)
    expect(revoked.stderr).toBe('')
    expect(revoked.stdout).toBe(`Revoked ${shown} (${cn})\n`)

    const refused = await dockerWith(leak, 'node', 'ls')
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(new RegExp(`the admin certificate ${shown} \\(${cn}\\) was revoked at .* \\(revoked by ${cn}\\): every manager refuses it`))
    const renewal = await post('/tsw/renew', { PublicKey: generateKeyPair().publicKeyPem }, leak)
    expect(renewal.status).toBe(401)
    expect(renewal.json.message).toMatch(/was revoked at/)

    // The manager of the host replaces its bundle (new key); the host's CLI goes on working, the copy does not.
    await waitFor(() => new X509Certificate(readFileSync(join(tlsDir(), 'cert.pem'), 'utf8')).serialNumber !== serial, 10_000, 'a new admin bundle')
    const ls = await swarm.tsw(1, 'node', 'ls', '-q')
    expect(ls.stderr).toBe('')
    expect(ls.stdout.trim().split('\n')).toHaveLength(2)
    expect((await dockerWith(tlsDir(), 'node', 'ls', '-q')).code).toBe(0)
    expect((await dockerWith(leak, 'node', 'ls', '-q')).code).toBe(1)
    // Revoking what is revoked already, or a name nobody has.
    expect((await swarm.tsw(1, 'swarm', 'ca', '--revoke', serial)).stdout).toBe(`every admin certificate named ${serial} was already revoked\n`)
    const none = await swarm.tsw(1, 'swarm', 'ca', '--revoke', 'admin-nobody')
    expect(none.code).toBe(1)
    expect(none.stderr).toContain('no admin certificate with serial or common name admin-nobody')
  })

  it('a bad --advertise-addr: exit 1 with docker\'s message, nothing written', async () => {
    const dir = tempDir('badadv')
    const init = await tsw(dir, 'swarm', 'init', '--engine', tcpEngine(3), '--advertise-addr', 'manager.example.com', '--listen-addr', `${GATEWAY}:2402`)
    expect(init.code).toBe(1)
    expect(init.stderr).toContain('advertise address must be a non-zero IP address or network interface (with optional port number): "manager.example.com" is not')
    expect(readdirSync(dir)).toEqual([])
    const j = await tsw(dir, 'swarm', 'join', '--token', await swarm.token(), '--engine', tcpEngine(3), '--advertise-addr', '0.0.0.0', swarm.addr)
    expect(j.code).toBe(1)
    expect(j.stderr).toContain('advertise address must be a non-zero IP address or network interface')
    expect(readdirSync(dir)).toEqual([])
    expect((await swarm.tsw(1, 'node', 'ls', '-q')).stdout.trim().split('\n')).toHaveLength(2)
  })

  it('networks named bridge, host, none are refused as docker does; so is a subnet holding a node\'s address', async () => {
    const host = await swarm.tsw(1, 'network', 'create', '--driver', 'overlay', 'host')
    expect(host.code).toBe(1)
    expect(host.stderr).toContain('operation is not permitted on predefined host network')
    const none = await dockerWith(tlsDir(), 'network', 'create', '-d', 'overlay', 'none')
    expect(none.code).toBe(1)
    expect(none.stderr).toContain('Error response from daemon: operation is not permitted on predefined none network')
    const clash = await swarm.tsw(1, 'network', 'create', '--subnet', '10.213.0.0/24', 'clash')
    expect(clash.code).toBe(1)
    expect(clash.stderr).toMatch(new RegExp(`invalid pool request: .*holds the address (${hostIp(1)}|${hostIp(2)}|${GATEWAY}) of node`))
    const nets = await swarm.tsw(1, 'network', 'ls', '--format', '{{.Name}}')
    expect(nets.stdout).not.toMatch(/^(host|none|clash)$/m)
  })

  it('an ssh:// engine\'s host key: seen on first use, then any other refused', async () => {
    const first = await connectEngine(SSHD_ENGINE, { timeoutMs: 10_000 })
    try {
      await probeEngine(first, 10_000)
      expect(first.tunnel?.hostKey).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/)
    } finally {
      first.close()
    }
    const pinned = { ...SSHD_ENGINE, SSHHostKey: first.tunnel!.hostKey }
    const again = await connectEngine(pinned, { timeoutMs: 10_000 })
    try {
      expect((await probeEngine(again, 10_000)).Hostname).toBeTruthy()
    } finally {
      again.close()
    }
    const other = await connectEngine({ ...SSHD_ENGINE, SSHHostKey: 'SHA256:' + 'A'.repeat(43) }, { timeoutMs: 10_000 })
    try {
      await expect(probeEngine(other, 10_000)).rejects.toThrow(/the host key of 10\.213\.0\.12:22 is SHA256:.*, not SHA256:A+ as when the engine joined: refusing to connect/)
    } finally {
      other.close()
    }
  })

  it('wrong join tokens: five a minute from one address, then 429 with a clear message', async () => {
    const good = await swarm.token()
    const wrong = good.replace(/.{4}$/, (s) => (s === 'aaaa' ? 'bbbb' : 'aaaa'))
    const join1 = { Token: wrong, Engine: { URL: tcpEngine(3) }, PublicKey: generateKeyPair().publicKeyPem }
    for (let i = 0; i < 5; i++) {
      const r = await post('/tsw/join', join1)
      expect(r.status).toBe(400)
      expect(r.json.message).toContain('A valid join token is necessary to join this cluster')
    }
    const limited = await post('/tsw/join', join1)
    expect(limited.status).toBe(429)
    expect(limited.json.message).toMatch(/^too many failed join attempts from (::ffff:)?10\.213\.0\.1 \(5 in the last 60 s\): try again in \d+ s/)
    // The right token too, from the same address, until the minute is over: nothing joined.
    const limitedDir = tempDir('limited')
    const j = await tsw(limitedDir, 'swarm', 'join', '--token', good, '--engine', tcpEngine(3), swarm.addr)
    expect(j.code).toBe(1)
    expect(j.stderr).toContain('too many failed join attempts')
    expect((await swarm.tsw(1, 'node', 'ls', '-q')).stdout.trim().split('\n')).toHaveLength(2)
    expect(existsSync(join(limitedDir, 'context.json'))).toBe(false)
  })
})
