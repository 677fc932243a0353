// The store's behaviour, checked the same way on SQLite and on a real etcd
// (Debian's etcd-server, started here on 127.0.0.1 with free ports and a temp
// data dir; no lab needed). Then what only etcd has: other managers' writes in
// the watch, leader election, and UnavailableError when etcd is unreachable or
// has lost its quorum.
import { type ChildProcess, spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import * as http from 'node:http'
import * as https from 'node:https'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ConflictError, InvalidArgumentError, NotFoundError, OutOfSequenceError, UnavailableError } from '../../../src/lib/errors/index.js'
import { createRootCA, issueKeyAndCertificate } from '../../../src/lib/pki/index.js'
import { EtcdStore, type EtcdTls, modify, parseEtcdUrl, SqliteStore, type Store, type StoreEvent } from '../../../src/lib/store/index.js'
import type { StoredObject } from '../../../src/lib/types/index.js'

const ETCD = ['/usr/bin/etcd', '/usr/local/bin/etcd'].find((p) => existsSync(p))
const DATA = existsSync('/dev/shm') ? '/dev/shm' : tmpdir()

interface Obj extends StoredObject {
  Name: string
  n: number
}

const obj = (id: string, n = 0): Obj => ({ ID: id, Version: { Index: 0 }, CreatedAt: '', UpdatedAt: '', Name: id, n })
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 3000): Promise<void> {
  const end = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`)
    await sleep(10)
  }
}

/** Two stores on the same state: `a` and `b` are two managers (or two connections). */
interface Pair {
  a: Store
  b: Store
  /** Whether `a`'s watch sees `b`'s writes (etcd: yes; two SQLite connections: no). */
  sharedWatch: boolean
}

/** The behaviour every Store has, on two stores opened by `open`. */
function storeBehaviour(open: () => Promise<Pair>): void {
  let p: Pair
  beforeEach(async () => {
    p = await open()
  })
  afterEach(async () => {
    await p.a.close()
    await p.b.close()
  })

  it('creates, gets and lists in creation order, with increasing versions and timestamps', async () => {
    const { a, b } = p
    const made = [await a.create('service', obj('s-c')), await a.create('service', obj('s-a')), await b.create('service', obj('s-b'))]
    await a.create('task', obj('t-1'))
    expect(made.map((o) => o.Version.Index)).toEqual([...made.map((o) => o.Version.Index)].sort((x, y) => x - y))
    expect(new Set(made.map((o) => o.Version.Index)).size).toBe(3)
    expect(made[0].CreatedAt).toMatch(/^\d{4}-\d\d-\d\dT/)
    expect(made[0].UpdatedAt).toBe(made[0].CreatedAt)
    expect(await b.get('service', 's-c')).toEqual(made[0])
    expect(await a.get('service', 'nope')).toBeUndefined()
    expect((await b.list<Obj>('service')).map((o) => o.ID)).toEqual(['s-c', 's-a', 's-b'])
    expect((await a.list('task')).map((o) => o.ID)).toEqual(['t-1'])
    // A deleted and re-created object is new: it goes to the end.
    await a.delete('service', 's-c')
    await a.create('service', obj('s-c'))
    expect((await a.list<Obj>('service')).map((o) => o.ID)).toEqual(['s-a', 's-b', 's-c'])
  })

  it('updates with a version bump, keeps CreatedAt, and refuses a stale version or a missing object', async () => {
    const { a, b } = p
    const v1 = await a.create('node', obj('n1'))
    await sleep(5)
    const v2 = await b.update('node', { ...v1, n: 1 }, v1.Version.Index)
    expect(v2.Version.Index).toBeGreaterThan(v1.Version.Index)
    expect(v2.CreatedAt).toBe(v1.CreatedAt)
    expect(v2.UpdatedAt > v1.UpdatedAt).toBe(true)
    expect(await a.get('node', 'n1')).toEqual(v2)
    await expect(a.update('node', { ...v1, n: 2 }, v1.Version.Index)).rejects.toBeInstanceOf(OutOfSequenceError)
    expect((await a.get<Obj>('node', 'n1'))?.n).toBe(1)
    // Without an expected version the last writer wins.
    const v3 = await a.update('node', { ...v1, n: 3 })
    expect(v3.Version.Index).toBeGreaterThan(v2.Version.Index)
    // CreatedAt stays what it was, whatever the caller's copy says.
    const v4 = await b.update('node', { ...v3, CreatedAt: '', n: 4 }, v3.Version.Index)
    expect(v4.CreatedAt).toBe(v1.CreatedAt)
    expect(await a.get('node', 'n1')).toEqual(v4)
    await expect(a.update('node', obj('ghost'), 1)).rejects.toBeInstanceOf(NotFoundError)
    await expect(a.update('node', obj('ghost'))).rejects.toBeInstanceOf(NotFoundError)
  })

  it('refuses to create an ID twice, and deletes', async () => {
    const { a, b } = p
    await a.create('network', obj('net'))
    await expect(b.create('network', obj('net'))).rejects.toBeInstanceOf(ConflictError)
    expect(await b.delete('network', 'net')).toBe(true)
    expect(await a.delete('network', 'net')).toBe(false)
    expect(await a.get('network', 'net')).toBeUndefined()
    await b.create('network', obj('net'))
  })

  it('createAll stores every object or none (one taken ID: nothing new stored, nothing watched)', async () => {
    const { a, b } = p
    const seen: StoreEvent[] = []
    const unwatch = a.watch((e) => seen.push(e))
    const [e1, n1] = await a.createAll([{ kind: 'engine', obj: obj('x1') }, { kind: 'node', obj: obj('x1') }])
    expect(e1.Version.Index).toBeGreaterThan(0)
    expect(await b.get('engine', 'x1')).toEqual(e1)
    expect(await b.get('node', 'x1')).toEqual(n1)
    expect(seen.map((e) => `${e.action} ${e.kind} ${e.id}`)).toEqual(['create engine x1', 'create node x1'])
    await expect(b.createAll([{ kind: 'engine', obj: obj('x2') }, { kind: 'node', obj: obj('x1') }])).rejects.toBeInstanceOf(ConflictError)
    expect(await a.get('engine', 'x2')).toBeUndefined()
    await sleep(50)
    expect(seen).toHaveLength(2)
    unwatch()
  })

  it("watches its own writes, in order, seen when the write returns; and the other store's writes when shared", async () => {
    const { a, b } = p
    const seen: StoreEvent[] = []
    const unwatch = a.watch((e) => seen.push(e))
    const c = await a.create('service', obj('w'))
    expect(seen).toEqual([{ kind: 'service', action: 'create', id: 'w', object: c }])
    const u = await a.update('service', { ...c, n: 1 })
    await a.delete('service', 'w')
    expect(seen.slice(1)).toEqual([
      { kind: 'service', action: 'update', id: 'w', object: u },
      { kind: 'service', action: 'delete', id: 'w' },
    ])
    if (p.sharedWatch) {
      const theirs: Obj[] = []
      for (let i = 0; i < 20; i++) theirs.push(await b.create('task', obj(`t${i}`, i)))
      await b.delete('task', 't0')
      // A write after them: events come in revision order, so once it is seen every earlier one was delivered.
      const barrier = await b.create('task', obj('barrier'))
      await until(() => seen.some((e) => e.id === 'barrier'), "b's barrier write in a's watch")
      expect(seen.slice(3)).toEqual([
        ...theirs.map((t) => ({ kind: 'task', action: 'create', id: t.ID, object: t })),
        { kind: 'task', action: 'delete', id: 't0' },
        { kind: 'task', action: 'create', id: 'barrier', object: barrier }, // none twice
      ])
    }
    unwatch()
    // A second watch, still subscribed, sees the writes after unwatch(): the first one would have by then.
    const later: StoreEvent[] = []
    const unwatchLater = a.watch((e) => later.push(e))
    await a.create('service', obj('after'))
    await b.create('service', obj('after-b'))
    await until(() => later.some((e) => e.id === (p.sharedWatch ? 'after-b' : 'after')), 'the writes after unwatch() in a second watch')
    unwatchLater()
    expect(seen).toHaveLength(p.sharedWatch ? 25 : 3)
  })

  it('modify() retries under concurrency: two writers add 50 each to one counter', async () => {
    const { a, b } = p
    await a.create('swarm', obj('counter'))
    const add = async (s: Store) => {
      for (let i = 0; i < 50; i++) await modify<Obj>(s, 'swarm', 'counter', (o) => { o.n++ })
    }
    await Promise.all([add(a), add(b)])
    expect((await a.get<Obj>('swarm', 'counter'))?.n).toBe(100)
    expect(await modify<Obj>(a, 'swarm', 'none', (o) => { o.n++ })).toBeUndefined()
  })
}

describe('parseEtcdUrl', () => {
  it('gives etcd3 hosts, 2379 by default, https for etcds://', () => {
    expect(parseEtcdUrl('etcd://h1:2379,h2')).toEqual(['http://h1:2379', 'http://h2:2379'])
    expect(parseEtcdUrl('etcds://10.0.0.1:32379,[::1]')).toEqual(['https://10.0.0.1:32379', 'https://[::1]:2379'])
    expect(parseEtcdUrl('etcd://[fd00::1]:4001/')).toEqual(['http://[fd00::1]:4001'])
    for (const bad of ['http://h1:2379', 'etcd://', 'etcd://h1:2379,', 'etcd://h 1', 'h1:2379']) {
      expect(() => parseEtcdUrl(bad), bad).toThrow(InvalidArgumentError)
    }
  })
})

describe('SqliteStore', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tsw-store-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  storeBehaviour(async () => {
    const file = join(dir, `${randomUUID()}.db`)
    return { a: new SqliteStore(file), b: new SqliteStore(file), sharedWatch: false }
  })
})

/** A free TCP port on 127.0.0.1 (free when asked). */
async function freePort(): Promise<number> {
  const srv = createServer()
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve))
  const { port } = srv.address() as { port: number }
  await new Promise((r) => srv.close(r))
  return port
}

interface Member {
  name: string
  client: string
  proc: ChildProcess
  dir: string
  tls?: Required<EtcdTls>
  output: string[]
}

/** Every member started, stopped in afterAll even when a test timed out. */
const started = new Set<Member>()

/** Whether the member answers GET /health with {"health":"true"} (it has a leader). */
function healthy(m: Member): Promise<boolean> {
  const [host, port] = m.client.split(':')
  const tls = m.tls && { ca: readFileSync(m.tls.cacert), cert: readFileSync(m.tls.cert), key: readFileSync(m.tls.key) }
  return new Promise((resolve) => {
    const req = (tls ? https : http).get({ host, port, path: '/health', timeout: 1000, ...tls, servername: tls ? 'localhost' : undefined }, (res) => {
      let body = ''
      res.on('data', (d: Buffer) => { body += d.toString() })
      res.on('end', () => resolve(res.statusCode === 200 && body.includes('"true"')))
    })
    req.on('error', () => resolve(false))
    req.on('timeout', () => req.destroy())
  })
}

/**
 * Starts an etcd cluster of `n` members on 127.0.0.1 and waits until it has a
 * leader. With `tls`, clients must use TLS with a certificate from its CA.
 */
async function startEtcd(n: number, tls?: { server: Required<EtcdTls>; client: Required<EtcdTls> }): Promise<Member[]> {
  const ports = await Promise.all(Array.from({ length: 2 * n }, freePort))
  const names = Array.from({ length: n }, (_, i) => `m${i}`)
  const peer = (i: number) => `http://127.0.0.1:${ports[2 * i + 1]}`
  const cluster = names.map((name, i) => `${name}=${peer(i)}`).join(',')
  const token = `tsw-${randomUUID()}`
  const scheme = tls ? 'https' : 'http'
  const members = names.map((name, i): Member => {
    const dir = mkdtempSync(join(DATA, 'tsw-etcd-'))
    const client = `127.0.0.1:${ports[2 * i]}`
    const proc = spawn(ETCD!, [
      '--name', name, '--data-dir', dir,
      '--listen-client-urls', `${scheme}://${client}`, '--advertise-client-urls', `${scheme}://${client}`,
      '--listen-peer-urls', peer(i), '--initial-advertise-peer-urls', peer(i),
      '--initial-cluster', cluster, '--initial-cluster-state', 'new', '--initial-cluster-token', token,
      '--heartbeat-interval', '50', '--election-timeout', '500', '--logger', 'zap', '--log-level', 'error',
      ...(tls ? ['--cert-file', tls.server.cert, '--key-file', tls.server.key, '--trusted-ca-file', tls.server.cacert, '--client-cert-auth'] : []),
    ], { stdio: ['ignore', 'ignore', 'pipe'] })
    const output: string[] = []
    proc.stderr!.on('data', (d: Buffer) => output.push(d.toString()))
    const m = { name, client, proc, dir, tls: tls?.client, output }
    started.add(m)
    return m
  })
  try {
    for (const m of members) {
      await until(() => {
        if (m.proc.exitCode !== null) throw new Error(`etcd ${m.name} exited: ${m.output.join('')}`)
        return healthy(m)
      }, `etcd ${m.name} to be healthy`, 15_000)
    }
  } catch (err) {
    await stopEtcd(members)
    throw err
  }
  return members
}

/** A CA, a server certificate for 127.0.0.1 and a client certificate, as files in `dir`. */
async function makeCerts(dir: string): Promise<{ server: Required<EtcdTls>; client: Required<EtcdTls> }> {
  const ca = await createRootCA({ commonName: 'etcd-test-ca' })
  const names = { organization: 'tsw-test', organizationalUnit: 'etcd' }
  const server = await issueKeyAndCertificate({ ca, commonName: 'etcd', ips: ['127.0.0.1'], dnsNames: ['localhost'], usage: 'server', ...names })
  const client = await issueKeyAndCertificate({ ca, commonName: 'manager', usage: 'client', ...names })
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text, { mode: 0o600 })
    return join(dir, name)
  }
  const cacert = file('ca.pem', ca.certPem)
  return {
    server: { cacert, cert: file('server.pem', server.certPem), key: file('server-key.pem', server.keyPem) },
    client: { cacert, cert: file('client.pem', client.certPem), key: file('client-key.pem', client.keyPem) },
  }
}

async function stopEtcd(members: Member[]): Promise<void> {
  await Promise.all(members.map(async (m) => {
    started.delete(m)
    if (m.proc.exitCode === null && m.proc.signalCode === null) {
      const exited = new Promise((r) => m.proc.once('exit', r))
      m.proc.kill('SIGKILL')
      await exited
    }
    rmSync(m.dir, { recursive: true, force: true })
  }))
}

const url = (members: Member[]) => `etcd://${members.map((m) => m.client).join(',')}`

// CI installs etcd (.ci/run): there a missing binary is a failure, not a skipped suite.
const IN_CI = process.env.CI === 'true' || process.env.CI === '1'
if (!ETCD && IN_CI) {
  describe('EtcdStore on a real etcd', () => {
    it('has an etcd binary to run on', () => {
      throw new Error('no etcd binary at /usr/bin/etcd or /usr/local/bin/etcd, and CI=true: install it (apt-get install etcd-server) so the etcd suite runs')
    })
  })
}

describe.skipIf(!ETCD)(ETCD ? 'EtcdStore on a real etcd' : 'EtcdStore (skipped: no etcd binary; apt-get install etcd-server)', () => {
  let etcd: Member[] = []
  beforeAll(async () => {
    etcd = await startEtcd(1)
  })
  afterAll(() => stopEtcd([...started]))

  /** Two managers of one new cluster (its own key prefix). */
  async function pair(): Promise<Pair> {
    const clusterId = `c${randomUUID().slice(0, 8)}`
    const a = await EtcdStore.open({ endpoints: url(etcd), clusterId })
    const b = await EtcdStore.open({ endpoints: url(etcd), clusterId })
    return { a, b, sharedWatch: true }
  }

  describe('the Store behaviour', () => storeBehaviour(pair))

  it('keeps clusters apart by key prefix', async () => {
    const x = await pair()
    const y = await pair()
    await x.a.create('node', obj('n1'))
    expect(await y.a.get('node', 'n1')).toBeUndefined()
    expect(await y.a.list('node')).toEqual([])
    expect((x.a as EtcdStore).prefix).toMatch(/^\/tsw\/c[0-9a-f]{8}\/$/)
    await Promise.all([x.a, x.b, y.a, y.b].map((s) => s.close()))
  })

  describe('leader election (2 s lease)', () => {
    let stores: EtcdStore[] = []
    afterEach(async () => {
      await Promise.all(stores.map((s) => s.close()))
      stores = []
    })
    async function managers(): Promise<[EtcdStore, EtcdStore]> {
      const { a, b } = await pair()
      stores = [a as EtcdStore, b as EtcdStore]
      return [a as EtcdStore, b as EtcdStore]
    }

    it('hands over at once when the leader resigns', async () => {
      const [a, b] = await managers()
      const la = a.campaign('leader', 2, 'a')
      await until(() => la.isLeader, 'a to lead')
      const lb = b.campaign('leader', 2, 'b')
      const changes: boolean[] = []
      lb.onChange((v) => changes.push(v))
      await until(async () => (await a.candidates('leader')).join() === 'a,b', 'b to be a candidate behind a')
      expect(lb.isLeader).toBe(false)
      const t0 = Date.now()
      await la.resign()
      expect(la.isLeader).toBe(false)
      await until(() => lb.isLeader, 'b to lead', 1000)
      const ms = Date.now() - t0
      expect(ms).toBeLessThan(500)
      expect(changes).toEqual([true])
      console.log(`etcd election: handover after resign in ${ms} ms`)
    })

    it('hands over when the leader closes its client without resigning, within the lease + 2 s', async () => {
      const [a, b] = await managers()
      const la = a.campaign('leader', 2, 'a')
      await until(() => la.isLeader, 'a to lead')
      const lb = b.campaign('leader', 2, 'b')
      await until(async () => (await a.candidates('leader')).join() === 'a,b', 'b to be a candidate behind a')
      expect(lb.isLeader).toBe(false)
      const t0 = Date.now()
      await a.close()
      expect(la.isLeader).toBe(false)
      await until(() => lb.isLeader, 'b to lead', 4000)
      const ms = Date.now() - t0
      expect(ms).toBeGreaterThan(500) // the lease expired: nobody resigned
      console.log(`etcd election: handover after the leader's client closed in ${ms} ms`)
    })
  })

  it('talks TLS with a client certificate (etcdctl-style --cacert/--cert/--key files)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsw-etcd-tls-'))
    const certs = await makeCerts(dir)
    const [m] = await startEtcd(1, certs)
    try {
      const store = await EtcdStore.open({ endpoints: `etcds://${m.client}`, clusterId: 'tls', tls: certs.client })
      const made = await store.create('node', obj('n1'))
      expect(await store.get('node', 'n1')).toEqual(made)
      await store.close()
      // etcd wants a client certificate (--client-cert-auth).
      const err = await EtcdStore.open({ endpoints: `etcds://${m.client}`, clusterId: 'tls', tls: { cacert: certs.client.cacert }, timeoutMs: 2000 })
        .catch((e: unknown) => e)
      expect(err).toBeInstanceOf(UnavailableError)
      expect((err as Error).message).toMatch(/is unreachable: TLS handshake failed \(.*bad certificate\)/)
      await expect(EtcdStore.open({ endpoints: `etcds://${m.client}`, clusterId: 'tls', tls: { cacert: join(dir, 'none.pem') } }))
        .rejects.toThrow(/^etcd TLS: cannot read the CA certificate .*none\.pem/)
    } finally {
      await stopEtcd([m])
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('says the store is unreachable when no etcd answers', async () => {
    const port = await freePort()
    const t0 = Date.now()
    const err = await EtcdStore.open({ endpoints: `etcd://127.0.0.1:${port}`, clusterId: 'x', timeoutMs: 1000 }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(UnavailableError)
    expect((err as Error).message).toBe(`the store (etcd at 127.0.0.1:${port}) is unreachable: connection refused by 127.0.0.1:${port}`)
    expect(Date.now() - t0).toBeLessThan(3000)
  })

  it('gives UnavailableError once etcd has lost its quorum, and the leader steps down', async () => {
    const three = await startEtcd(3)
    const store = await EtcdStore.open({ endpoints: url(three), clusterId: 'q', timeoutMs: 1000 })
    // The member that stays up, alone: what it answers without a quorum.
    const survivor = await EtcdStore.open({ endpoints: url(three.slice(0, 1)), clusterId: 'q', timeoutMs: 1000 })
    try {
      await store.create('node', obj('n1'))
      const l = store.campaign('leader', 2)
      await until(() => l.isLeader, 'the campaign to lead')
      let steppedDown = 0
      l.onChange((leads) => { if (!leads) steppedDown = Date.now() })
      await stopEtcd(three.slice(1))
      const t0 = Date.now()
      const err = await survivor.create('node', obj('n2')).catch((e: unknown) => e)
      const ms = Date.now() - t0
      expect(err).toBeInstanceOf(UnavailableError)
      expect((err as Error).message).toMatch(new RegExp(`^the store \\(etcd at ${three[0].client}\\) is unreachable: `))
      await expect(survivor.get('node', 'n1')).rejects.toBeInstanceOf(UnavailableError)
      const err3 = await store.get('node', 'n1').catch((e: unknown) => e)
      expect(err3).toBeInstanceOf(UnavailableError)
      expect((err3 as Error).message).toMatch(/^the store \(etcd at 127\.0\.0\.1:\d+,127\.0\.0\.1:\d+,127\.0\.0\.1:\d+\) is unreachable: /)
      await until(() => !l.isLeader, 'the leader to step down', 2500)
      // Its lease (2 s) can no longer be renewed (the survivor renews it until it
      // notices, after an election timeout, 0.5 s, that it lost the quorum).
      expect(steppedDown - t0).toBeLessThan(2500)
      console.log(`etcd without quorum: a write failed after ${ms} ms (${(err as Error).message}); ` +
        `with all three endpoints: ${(err3 as Error).message}; the leader stepped down after ${steppedDown - t0} ms`)
    } finally {
      await Promise.all([store.close(), survivor.close()])
      await stopEtcd(three)
    }
  })
})
