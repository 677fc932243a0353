// connectEngine/probeEngine/pingEngine against the lab's real engines (tcp, unix,
// ssh through the lab sshd on node02) and a throwaway mTLS server for TLS.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import https from 'node:https'
import net, { type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectEngine, pingEngine, probeEngine, type EngineConnection } from '../../../src/lib/engine/index.js'
import { UnavailableError } from '../../../src/lib/errors/index.js'
import type { EngineRef } from '../../../src/lib/types/index.js'

const LAB = '/var/lib/tsw-lab'
const SSH_KEY = readFileSync(`${LAB}/ssh/id_ed25519`, 'utf8')
// The lab's sshd on node02; see useSshd() for when it refuses stream forwarding.
let SSHD = '10.213.0.12:22'
const node02Ssh = (): EngineRef => ({ URL: `ssh://root@${SSHD}?socket=${LAB}/node02/docker.sock`, SSHKey: SSH_KEY })

const open: EngineConnection[] = []
async function connect(ref: EngineRef, timeoutMs?: number): Promise<EngineConnection> {
  const conn = await connectEngine(ref, { timeoutMs })
  open.push(conn)
  return conn
}
afterAll(() => { for (const conn of open) conn.close() })

/** A TCP port free on host just now. */
async function freePort(host: string): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, host, resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** Resolves once host:port accepts connections (5 s at most). */
async function waitListening(host: string, port: number): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, host, () => { s.destroy(); resolve(true) }).on('error', () => resolve(false))
    })
    if (ok) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`nothing listens on ${host}:${port}`)
}

/** Runs fn and returns its rejection and how long it took. */
async function failure(fn: () => Promise<unknown>): Promise<{ err: Error; ms: number }> {
  const start = Date.now()
  try {
    await fn()
  } catch (err) {
    return { err: err as Error, ms: Date.now() - start }
  }
  throw new Error('expected a failure')
}

describe('tcp and unix engines', () => {
  it('probes each lab engine over tcp', async () => {
    for (const i of [1, 2, 3]) {
      const info = await probeEngine(await connect({ URL: `tcp://10.213.0.1${i}:2375` }), 5000)
      expect(info).toMatchObject({ Hostname: `node0${i}`, OS: 'linux' })
      expect(info.ID).toMatch(/\S/)
      expect(info.NCPU).toBeGreaterThan(0)
      expect(info.MemTotal).toBeGreaterThan(0)
      expect(info.ServerVersion).toMatch(/^\d+\.\d+/)
      expect(info.Architecture).toBe(execFileSync('uname', ['-m'], { encoding: 'utf8' }).trim())
      expect(typeof info.Labels).toBe('object')
    }
  })

  it('probes node02 over its unix socket, same engine as over tcp', async () => {
    const viaUnix = await probeEngine(await connect({ URL: `unix://${LAB}/node02/docker.sock` }), 5000)
    const viaTcp = await probeEngine(await connect({ URL: 'tcp://10.213.0.12:2375' }), 5000)
    expect(viaUnix.Hostname).toBe('node02')
    expect(viaUnix.ID).toBe(viaTcp.ID)
  })

  it('pings', async () => {
    await expect(pingEngine(await connect({ URL: 'tcp://10.213.0.11:2375' }), 5000)).resolves.toBeUndefined()
  })

  it('a refused port is UnavailableError, at once', async () => {
    const conn = await connect({ URL: 'tcp://10.213.0.12:2399' })
    const { err, ms } = await failure(() => pingEngine(conn, 5000))
    expect(err).toBeInstanceOf(UnavailableError)
    expect(err.message).toMatch(/^cannot reach engine tcp:\/\/10\.213\.0\.12:2399: .*ECONNREFUSED/)
    expect(ms).toBeLessThan(1000)
  })

  it('a missing unix socket is UnavailableError', async () => {
    const conn = await connect({ URL: `unix://${LAB}/nosuch/docker.sock` })
    const { err } = await failure(() => probeEngine(conn, 2000))
    expect(err).toBeInstanceOf(UnavailableError)
    expect(err.message).toMatch(/ENOENT/)
  })

  it('a dead address fails within the timeout', async () => {
    const conn = await connect({ URL: 'tcp://10.213.0.99:2375' })
    const { err, ms } = await failure(() => probeEngine(conn, 1500))
    expect(err).toBeInstanceOf(UnavailableError)
    expect(err.message).toMatch(/^cannot reach engine tcp:\/\/10\.213\.0\.99:2375: /)
    expect(ms).toBeLessThan(2000)
  })
})

describe('ssh engines', () => {
  let sshd: ChildProcess | undefined
  let sshdDir: string | undefined
  beforeAll(async () => {
    // OpenSSH denies streamlocal forwarding under `AllowTcpForwarding no` (it only
    // grants "permit all" for local forwards when TCP forwarding is allowed). If
    // the lab's sshd is configured so, run a private one with the lab's keys.
    const conn = await connectEngine(node02Ssh())
    try {
      await pingEngine(conn, 10_000)
      return
    } catch (err) {
      if (!/Channel open failure/.test((err as Error).message)) throw err
    } finally {
      conn.close()
    }
    console.warn('the lab sshd on 10.213.0.12 refuses stream forwarding (AllowTcpForwarding no): ' +
      'using a private sshd; fix test/lab/lab.sh with AllowTcpForwarding local')
    sshdDir = mkdtempSync(join(tmpdir(), 'tsw-sshd-'))
    const port = await freePort('10.213.0.1')
    writeFileSync(join(sshdDir, 'sshd_config'), [
      `ListenAddress 10.213.0.1:${port}`, `HostKey ${LAB}/ssh/host_ed25519`, 'PidFile none',
      `AuthorizedKeysFile ${LAB}/ssh/authorized_keys`, 'PasswordAuthentication no',
      'KbdInteractiveAuthentication no', 'PermitRootLogin prohibit-password',
      'AllowStreamLocalForwarding yes', 'AllowTcpForwarding local', 'UsePAM no', 'StrictModes no', '',
    ].join('\n'))
    sshd = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(sshdDir, 'sshd_config')], { stdio: 'ignore' })
    SSHD = `10.213.0.1:${port}`
    await waitListening('10.213.0.1', port)
  })
  afterAll(() => {
    sshd?.kill()
    if (sshdDir) rmSync(sshdDir, { recursive: true, force: true })
  })

  it('probes node02 over ssh', async () => {
    const conn = await connect(node02Ssh())
    const info = await probeEngine(conn, 10_000)
    expect(info.Hostname).toBe('node02')
    const viaUnix = await probeEngine(await connect({ URL: `unix://${LAB}/node02/docker.sock` }), 5000)
    expect(info.ID).toBe(viaUnix.ID)
  })

  it('takes the socket from EngineRef.SSHSocket too', async () => {
    const conn = await connect({ URL: `ssh://root@${SSHD}`, SSHKey: SSH_KEY, SSHSocket: `${LAB}/node01/docker.sock` })
    expect((await probeEngine(conn, 10_000)).Hostname).toBe('node01')
  })

  it('20 sequential version() calls share one SSH connection', async () => {
    const conn = await connect(node02Ssh())
    await conn.docker.version() // connects
    const start = Date.now()
    for (let i = 0; i < 20; i++) expect((await conn.docker.version()).ApiVersion).toMatch(/^1\.\d+/)
    const ms = Date.now() - start
    expect(conn.tunnel?.connections).toBe(1)
    expect(ms).toBeLessThan(3000)
  })

  it('concurrent first requests share one SSH connection', async () => {
    const conn = await connect(node02Ssh())
    await Promise.all(Array.from({ length: 8 }, () => pingEngine(conn, 10_000)))
    expect(conn.tunnel?.connections).toBe(1)
  })

  it('reconnects after the SSH connection drops', async () => {
    const conn = await connect(node02Ssh())
    await pingEngine(conn, 10_000)
    conn.tunnel!.disconnect()
    await pingEngine(conn, 10_000)
    expect(conn.tunnel?.connections).toBe(2)
  })

  it('a wrong remote socket is UnavailableError naming it', async () => {
    const conn = await connect({ URL: `ssh://root@${SSHD}?socket=/nosuch.sock`, SSHKey: SSH_KEY })
    const { err } = await failure(() => pingEngine(conn, 10_000))
    expect(err).toBeInstanceOf(UnavailableError)
    expect(err.message).toBe(`cannot reach engine ssh://root@${SSHD}?socket=/nosuch.sock: ssh: cannot open /nosuch.sock: (SSH) Channel open failure: open failed`)
  })

  it('a refused SSH port is UnavailableError, at once', async () => {
    const conn = await connect({ URL: 'ssh://root@10.213.0.12:2399', SSHKey: SSH_KEY })
    const { err, ms } = await failure(() => pingEngine(conn, 5000))
    expect(err).toBeInstanceOf(UnavailableError)
    expect(err.message).toMatch(/ECONNREFUSED/)
    expect(ms).toBeLessThan(1000)
  })

  it('a key the server does not know is UnavailableError', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsw-sshkey-'))
    try {
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'k')])
      const conn = await connect({ ...node02Ssh(), SSHKey: readFileSync(join(dir, 'k'), 'utf8') })
      const { err } = await failure(() => pingEngine(conn, 10_000))
      expect(err).toBeInstanceOf(UnavailableError)
      expect(err.message).toMatch(/authentication/i)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('a dead SSH host fails within the timeout', async () => {
    const conn = await connect({ URL: 'ssh://root@10.213.0.99', SSHKey: SSH_KEY }, 1000)
    const { err, ms } = await failure(() => probeEngine(conn, 1500))
    expect(err).toBeInstanceOf(UnavailableError)
    expect(ms).toBeLessThan(2000)
  })

  it('refuses requests after close()', async () => {
    const conn = await connect(node02Ssh())
    await pingEngine(conn, 10_000)
    conn.close()
    await expect(pingEngine(conn, 2000)).rejects.toThrow(UnavailableError)
  })
})

describe('tls engines (a stand-in mTLS server)', () => {
  let dir: string
  let server: https.Server
  let url: string
  const pem = (name: string) => readFileSync(join(dir, name), 'utf8')

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tsw-tls-'))
    const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' })
    ssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
      '-subj', '/CN=test CA', '-keyout', 'ca-key.pem', '-out', 'ca.pem')
    for (const [name, ext] of [['server', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth'], ['client', 'extendedKeyUsage=clientAuth']] as const) {
      ssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', `/CN=${name}`,
        '-keyout', `${name}-key.pem`, '-out', `${name}.csr`)
      execFileSync('sh', ['-c', `printf '${ext}\\n' > ${name}.ext`], { cwd: dir })
      ssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial',
        '-days', '1', '-extfile', `${name}.ext`, '-out', `${name}.pem`)
    }
    server = https.createServer({
      key: pem('server-key.pem'), cert: pem('server.pem'), ca: pem('ca.pem'),
      requestCert: true, rejectUnauthorized: true,
    }, (req, res) => {
      if (req.url?.endsWith('/_ping')) { res.end('OK'); return }
      if (req.url?.endsWith('/info')) {
        res.setHeader('Content-Type', 'application/json')
        res.end(JSON.stringify({
          ID: 'TLS1', Name: 'tlsnode', OSType: 'linux', Architecture: 'x86_64', NCPU: 4,
          MemTotal: 8e9, ServerVersion: '28.0.0', Labels: ['zone=b'],
        }))
        return
      }
      res.statusCode = 404
      res.end('{"message":"page not found"}')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `tcp://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => {
    server?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('probes with CA, client cert and key', async () => {
    const conn = await connect({ URL: url, TLS: { CA: pem('ca.pem'), Cert: pem('client.pem'), Key: pem('client-key.pem') } })
    await pingEngine(conn, 5000)
    expect(await probeEngine(conn, 5000)).toEqual({
      ID: 'TLS1', Hostname: 'tlsnode', OS: 'linux', Architecture: 'x86_64', NCPU: 4,
      MemTotal: 8e9, ServerVersion: '28.0.0', Labels: { zone: 'b' },
    })
  })

  it('fails without the client cert (the server demands it)', async () => {
    const conn = await connect({ URL: url, TLS: { CA: pem('ca.pem') } })
    await expect(pingEngine(conn, 5000)).rejects.toThrow(UnavailableError)
  })

  it('fails without the CA (the server cert is not trusted)', async () => {
    const conn = await connect({ URL: url, TLS: { Cert: pem('client.pem'), Key: pem('client-key.pem') } })
    await expect(pingEngine(conn, 5000)).rejects.toThrow(/cannot reach engine .*(self[- ]signed|unable to verify|certificate)/i)
  })

  it('fails speaking plain http to it', async () => {
    const conn = await connect({ URL: url })
    await expect(pingEngine(conn, 5000)).rejects.toThrow(UnavailableError)
  })
})
