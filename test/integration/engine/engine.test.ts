// connectEngine/probeEngine/pingEngine against the lab's real engines (tcp, unix,
// ssh through the lab sshd on node02) and a throwaway mTLS server for TLS.

import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectEngine, pingEngine, probeEngine, type EngineConnection } from '../../../src/lib/engine/index.js'
import { UnavailableError } from '../../../src/lib/errors/index.js'
import type { EngineRef } from '../../../src/lib/types/index.js'

const LAB = '/var/lib/tsw-lab'
const SSH_KEY = readFileSync(`${LAB}/ssh/id_ed25519`, 'utf8')
// The lab's sshd on node02 (it needs `AllowTcpForwarding local`: under "no", OpenSSH denies streamlocal forwards too).
const SSHD = '10.213.0.12:22'
const NODE02_SSH: EngineRef = { URL: `ssh://root@${SSHD}?socket=${LAB}/node02/docker.sock`, SSHKey: SSH_KEY }

const open: EngineConnection[] = []
async function connect(ref: EngineRef, timeoutMs?: number): Promise<EngineConnection> {
  const conn = await connectEngine(ref, { timeoutMs })
  open.push(conn)
  return conn
}
afterAll(() => { for (const conn of open) conn.close() })

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
  it('probes node02 over ssh', async () => {
    const conn = await connect(NODE02_SSH)
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
    const conn = await connect(NODE02_SSH)
    await conn.docker.version() // connects
    const start = Date.now()
    for (let i = 0; i < 20; i++) expect((await conn.docker.version()).ApiVersion).toMatch(/^1\.\d+/)
    const ms = Date.now() - start
    expect(conn.tunnel?.connections).toBe(1)
    expect(ms).toBeLessThan(3000)
  })

  it('concurrent first requests share one SSH connection', async () => {
    const conn = await connect(NODE02_SSH)
    await Promise.all(Array.from({ length: 8 }, () => pingEngine(conn, 10_000)))
    expect(conn.tunnel?.connections).toBe(1)
  })

  it('reconnects after the SSH connection drops', async () => {
    const conn = await connect(NODE02_SSH)
    await pingEngine(conn, 10_000)
    conn.tunnel!.disconnect()
    await pingEngine(conn, 10_000)
    expect(conn.tunnel?.connections).toBe(2)
  })

  it('streams events while other requests run on the same connection', async () => {
    const conn = await connect(NODE02_SSH)
    const name = `tsw-engine-test-${process.pid}`
    const events = await conn.docker.getEvents({ filters: { type: ['network'], network: [name] } }) as NodeJS.ReadableStream & { destroy(): void }
    let seen = ''
    const created = new Promise<void>((resolve) => events.on('data', (chunk: Buffer) => {
      seen += chunk.toString()
      if (seen.includes('"create"')) resolve()
    }))
    const network = await conn.docker.createNetwork({ Name: name })
    try {
      await created
    } finally {
      await network.remove()
      events.destroy()
    }
    expect(conn.tunnel?.connections).toBe(1)
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
      const conn = await connect({ ...NODE02_SSH, SSHKey: readFileSync(join(dir, 'k'), 'utf8') })
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
    const conn = await connect(NODE02_SSH)
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
