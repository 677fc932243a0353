// Certificates on the lab: --cert-expiry, renewal of the hosts' client certificates
// and of the manager's own, and root CA rotation (tsw swarm ca --rotate, docker swarm
// ca --rotate) with a service running, old join tokens and certificates refused.
import { X509Certificate, createPrivateKey } from 'node:crypto'
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import tls from 'node:tls'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { caDigest, parseJoinToken } from '../../../src/lib/pki/tokens.js'
import { renewalTime, signedBy } from '../../../src/lib/pki/validity.js'
import { GATEWAY, LabSwarm, tcpEngine, tsw, waitFor } from '../../helpers/lab.js'

const IMG = '10.213.0.1:5000/busybox:1'
const NS = 1_000_000

describe('certificates: expiry, renewal and root CA rotation', () => {
  const swarm = new LabSwarm(2376)
  const tlsFile = (i: number, f: string) => readFileSync(join(swarm.dir(i), 'tls', f), 'utf8')
  const serverCert = () => readFileSync(join(swarm.dir(1), 'manager/server-cert.pem'), 'utf8')
  const serial = (pem: string) => new X509Certificate(pem).serialNumber
  const lifetime = (pem: string) => { const c = new X509Certificate(pem); return Date.parse(c.validTo) - Date.parse(c.validFrom) }
  const left = (pem: string) => Date.parse(new X509Certificate(pem).validTo) - Date.now()
  const keyMatches = (i: number) => new X509Certificate(tlsFile(i, 'cert.pem')).checkPrivateKey(createPrivateKey(tlsFile(i, 'key.pem')))
  const root = async () => (await swarm.api('GET', '/swarm')).json.TLSInfo.TrustRoot as string
  const dockerAt = (...args: string[]) => swarm.docker(1, ...args)
  const containerIds = async () => (await Promise.all([1, 2, 3].map((i) => swarm.containers(i, 'certs-web')))).flat().sort()

  // What a client trusting `ca` sees of the manager: the certificate it presents, or the TLS error.
  const presented = (ca: string) => new Promise<{ leaf?: X509Certificate; error?: string }>((resolve) => {
    const sock = tls.connect({ host: GATEWAY, port: swarm.port, ca }, () => {
      resolve({ leaf: sock.getPeerX509Certificate() })
      sock.destroy()
    })
    sock.on('error', (err) => resolve({ error: err.message }))
  })

  beforeAll(async () => {
    const init = await swarm.init(['--cert-expiry', '90s'])
    expect(init.stderr).toBe('')
    const managerToken = await swarm.token('manager')
    const j2 = await swarm.tsw(2, 'swarm', 'join', '--token', managerToken, '--engine', tcpEngine(2), swarm.addr)
    expect(j2.stdout).toBe('This node joined a swarm as a manager.\n')
    expect((await swarm.join(3)).stdout).toBe('This node joined a swarm as a worker.\n')
    const svc = await swarm.tsw(1, 'service', 'create', '--detach', '--name', 'certs-web', '--replicas', '3', '--stop-grace-period', '1s', IMG, 'sleep', '3600')
    expect(svc.code, svc.stderr).toBe(0)
  }, 120_000)
  afterAll(() => swarm.destroy(), 60_000)

  it('init --cert-expiry 90s: CAConfig.NodeCertExpiry in ns, and every certificate issued lasts that long', async () => {
    const s = await swarm.api('GET', '/swarm')
    expect(s.json.Spec.CAConfig.NodeCertExpiry).toBe(90_000 * NS)
    // 90 s from issuance, backdated by a tenth (9 s) for clock skew.
    for (const pem of [serverCert(), tlsFile(1, 'cert.pem'), tlsFile(2, 'cert.pem'), tlsFile(3, 'cert.pem')]) {
      expect(lifetime(pem)).toBeGreaterThanOrEqual(98_000)
      expect(lifetime(pem)).toBeLessThanOrEqual(100_000)
    }
    const info = await dockerAt('info', '--format', '{{json .Swarm.Cluster.Spec.CAConfig}}')
    expect(info.stderr).toBe('')
    expect(JSON.parse(info.stdout).NodeCertExpiry).toBe(90_000 * NS)
  })

  it('swarm update --cert-expiry, from docker and from tsw; too short a one is refused', async () => {
    const d = await dockerAt('swarm', 'update', '--cert-expiry', '48h')
    expect(d.stderr).toBe('')
    expect(d.stdout).toBe('Swarm updated.\n')
    const info = await dockerAt('info', '--format', '{{json .Swarm.Cluster.Spec.CAConfig}}')
    expect(JSON.parse(info.stdout).NodeCertExpiry).toBe(48 * 3_600_000 * NS)
    const t = await swarm.tsw(1, 'swarm', 'update', '--cert-expiry', '72h')
    expect(t.stdout).toBe('Swarm updated.\n')
    expect((await swarm.api('GET', '/swarm')).json.Spec.CAConfig.NodeCertExpiry).toBe(72 * 3_600_000 * NS)
    const bad = await swarm.tsw(1, 'swarm', 'update', '--cert-expiry', '10s')
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('minimum certificate expiry time is 1m0s')
  })

  it('a host renews its certificate on its first command past two thirds of its lifetime; the manager renews its own', async () => {
    const before = { node02: tlsFile(2, 'cert.pem'), node03: tlsFile(3, 'cert.pem'), server: serverCert(), admin: tlsFile(1, 'cert.pem') }
    const ca = await root()
    // Not due yet: a command leaves the certificate as it is.
    expect((await swarm.tsw(2, 'node', 'ls', '-q')).code).toBe(0)
    expect(tlsFile(2, 'cert.pem')).toBe(before.node02)

    await waitFor(() => Date.now() >= renewalTime(before.node02) + 500, 90_000, 'node02\'s certificate past two thirds of its lifetime', 500)
    const ls = await swarm.tsw(2, 'node', 'ls', '-q')
    expect(ls.stderr).toBe('')
    expect(ls.stdout.trim().split('\n')).toHaveLength(3)
    const renewed = tlsFile(2, 'cert.pem')
    expect(serial(renewed)).not.toBe(serial(before.node02))
    expect(signedBy(renewed, ca)).toBe(true)
    expect(new X509Certificate(renewed).subject).toBe(new X509Certificate(before.node02).subject)
    expect(left(renewed)).toBeGreaterThan(71 * 3_600_000) // the swarm's expiry now: 72h
    expect(keyMatches(2)).toBe(true)

    // A worker's host renews too, though the command itself is refused.
    await waitFor(() => Date.now() >= renewalTime(before.node03) + 500, 30_000, 'node03\'s certificate due', 500)
    const w = await swarm.tsw(3, 'node', 'ls')
    expect(w.code).toBe(1)
    expect(w.stderr).toContain('This node is not a swarm manager')
    expect(serial(tlsFile(3, 'cert.pem'))).not.toBe(serial(before.node03))
    expect(keyMatches(3)).toBe(true)

    // The manager, by itself: its server certificate (as served) and its host's bundle.
    await waitFor(() => serial(serverCert()) !== serial(before.server), 30_000, 'the server certificate renewed')
    await waitFor(async () => (await presented(ca)).leaf?.serialNumber === serial(serverCert()), 10_000, 'the renewed server certificate served')
    await waitFor(() => serial(tlsFile(1, 'cert.pem')) !== serial(before.admin), 30_000, 'the manager host\'s bundle renewed')
    expect(left(serverCert())).toBeGreaterThan(71 * 3_600_000)
    expect(keyMatches(1)).toBe(true)
  }, 150_000)

  it('swarm ca --rotate: every host moves over on its next command, services keep running, old certificates are refused afterwards', async () => {
    const oldRoot = await root()
    const printed = await swarm.tsw(1, 'swarm', 'ca')
    expect(printed.stdout).toBe(oldRoot.trim() + '\n')
    await waitFor(async () => (await containerIds()).length === 3, 60_000, 'certs-web running 3 containers')
    const containers = await containerIds()
    const oldWorkerToken = await swarm.token('worker')
    const stale = mkdtempSync(join(tmpdir(), 'tsw-stale-'))
    cpSync(swarm.dir(3), stale, { recursive: true }) // node03's data dir as it is before the rotation

    const rotating = swarm.tsw(1, 'swarm', 'ca', '--rotate')
    await waitFor(async () => (await swarm.api('GET', '/swarm')).json.RootRotationInProgress === true, 30_000, 'the rotation started')
    const newRoot = await root()
    expect(newRoot).not.toBe(oldRoot)
    // A client that trusts only the old root still reaches the manager (through the cross-signed root)…
    const old = await presented(oldRoot)
    expect(old.error).toBeUndefined()
    expect(old.leaf!.verify(new X509Certificate(newRoot).publicKey)).toBe(true)
    // …and its old certificate is still accepted: its next command works and moves it over.
    const ls2 = await swarm.tsw(2, 'node', 'ls', '-q')
    expect(ls2.stderr).toBe('')
    expect(ls2.code).toBe(0)
    expect(tlsFile(2, 'ca.pem')).toBe(newRoot)
    expect(signedBy(tlsFile(2, 'cert.pem'), newRoot)).toBe(true)
    expect((await swarm.tsw(3, 'node', 'ls')).stderr).toContain('This node is not a swarm manager')
    expect(signedBy(tlsFile(3, 'cert.pem'), newRoot)).toBe(true)

    const r = await rotating
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('rotated TLS certificates: 3/3 nodes')
    expect(r.stdout.endsWith(newRoot.trim() + '\n')).toBe(true)
    expect((await swarm.api('GET', '/swarm')).json.RootRotationInProgress).toBe(false)
    expect(tlsFile(1, 'ca.pem')).toBe(newRoot)
    expect(signedBy(serverCert(), newRoot)).toBe(true)

    // Afterwards: the old root no longer reaches the manager, an old certificate is refused.
    await waitFor(async () => (await presented(oldRoot)).error !== undefined, 10_000, 'the old root no longer verifying the manager')
    const staleLs = await tsw(stale, 'node', 'ls')
    expect(staleLs.code).toBe(1)
    expect(staleLs.stderr).toContain('has to join the swarm again')
    rmSync(stale, { recursive: true, force: true })

    // Nothing about the engines changed.
    expect(await containerIds()).toEqual(containers)
    for (const i of [1, 2]) expect((await swarm.tsw(i, 'node', 'ls', '-q')).stdout.trim().split('\n')).toHaveLength(3)
    const docker = await dockerAt('node', 'ls', '--format', '{{.Hostname}}')
    expect(docker.stderr).toBe('')
    expect(docker.stdout.trim().split('\n').sort()).toEqual(['node01', 'node02', 'node03'])
    const dockerCa = await dockerAt('swarm', 'ca')
    expect(dockerCa.stdout).toBe(newRoot.trim() + '\n')

    // The old join token is refused: the joiner is shown a CA that does not match it.
    const fresh = mkdtempSync(join(tmpdir(), 'tsw-joiner-'))
    const refused = await tsw(fresh, 'swarm', 'join', '--token', oldWorkerToken, '--engine', tcpEngine(3), swarm.addr)
    rmSync(fresh, { recursive: true, force: true })
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('does not match the join token')
    expect(parseJoinToken(await swarm.token('worker')).digest).toBe(caDigest(newRoot))
  }, 150_000)

  it('docker swarm ca --rotate runs the same rotation; --finish-rotation ends one before every host moved', async () => {
    const before = await root()
    const containers = await containerIds()
    const d = await dockerAt('swarm', 'ca', '--rotate', '--detach')
    expect(d.stderr).toBe('')
    expect(d.code).toBe(0)
    const s = (await swarm.api('GET', '/swarm')).json
    expect(s.RootRotationInProgress).toBe(true)
    expect(s.Spec.CAConfig.ForceRotate).toBe(2)
    const second = s.TLSInfo.TrustRoot as string
    expect(second).not.toBe(before)
    // The docker CLI's own bundle (the manager's host's) was moved over by the manager.
    expect(tlsFile(1, 'ca.pem')).toBe(second)
    expect((await swarm.tsw(2, 'node', 'ls', '-q')).code).toBe(0)
    expect((await swarm.tsw(3, 'node', 'ls')).stderr).toContain('not a swarm manager')
    await waitFor(async () => (await swarm.api('GET', '/swarm')).json.RootRotationInProgress === false, 15_000, 'the rotation over')
    expect(signedBy(tlsFile(3, 'cert.pem'), second)).toBe(true)

    // A third rotation, ended by hand while node03 has not moved over: node03 is cut off.
    const rot = await swarm.tsw(1, 'swarm', 'ca', '--rotate', '--detach')
    expect(rot.code).toBe(0)
    expect(rot.stdout).toBe('')
    const fin = await swarm.tsw(1, 'swarm', 'ca', '--finish-rotation')
    expect(fin.stderr).toBe('')
    const third = await root()
    expect(fin.stdout).toBe(third.trim() + '\n')
    expect((await swarm.api('GET', '/swarm')).json.RootRotationInProgress).toBe(false)
    expect((await swarm.tsw(2, 'node', 'ls', '-q')).code).toBe(1) // node02 had not moved over either
    const cut = await swarm.tsw(3, 'node', 'ls')
    expect(cut.stderr).toContain('has to join the swarm again')
    expect(await containerIds()).toEqual(containers)
    expect((await swarm.tsw(1, 'node', 'ls', '-q')).code).toBe(0)

    // node03 joins again, as docker's hosts do: removed, left, joined with the current token.
    const id3 = JSON.parse(readFileSync(join(swarm.dir(3), 'context.json'), 'utf8')).NodeID as string
    expect((await swarm.tsw(1, 'node', 'rm', '--force', id3)).code).toBe(0)
    expect((await swarm.tsw(3, 'swarm', 'leave', '--force')).stdout).toBe('Node left the swarm.\n')
    const rejoined = await swarm.tsw(3, 'swarm', 'join', '--token', await swarm.token('worker'), '--engine', tcpEngine(3), swarm.addr)
    expect(rejoined.stderr).toBe('')
    expect(rejoined.stdout).toBe('This node joined a swarm as a worker.\n')
    expect(tlsFile(3, 'ca.pem')).toBe(third)
    expect(signedBy(tlsFile(3, 'cert.pem'), third)).toBe(true)
  }, 90_000)
})
