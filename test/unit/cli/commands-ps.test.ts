// The commands end to end, in process: flags parsed by oclif, requests over mTLS to a fake
// manager that answers from the captured API data, output compared with real docker's.
import { once } from 'node:events'
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Interfaces } from '@oclif/core'
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest'
import NodePs from '../../../src/commands/node/ps.js'
import ServiceInspect from '../../../src/commands/service/inspect.js'
import ServiceLogs from '../../../src/commands/service/logs.js'
import ServiceLs from '../../../src/commands/service/ls.js'
import ServicePs from '../../../src/commands/service/ps.js'
import ServiceRm from '../../../src/commands/service/rm.js'
import { createRootCA, issueKeyAndCertificate } from '../../../src/lib/pki/index.js'
import type { Service } from '../../../src/lib/types/index.js'
import { api, bin, golden, nodes, ranAt, services, tasks } from '../format/golden.js'
import { fakeClient } from './fake-lookups.js'
import { OCLIF_OPTIONS } from './oclif-options.js'

let server: Server
let dataDir: string
let host: string
const requests: string[] = []
const full = ['full', 'web', 'glob', 'dns', 'hostp', 'maxr'].map((n) => api<Service>(`api-service-${n}.json`))

beforeAll(async () => {
  const ca = await createRootCA()
  const srvCert = await issueKeyAndCertificate({ ca, commonName: 'm', organizationalUnit: 'swarm-manager', organization: 'c', ips: ['127.0.0.1'], usage: 'server' })
  const cliCert = await issueKeyAndCertificate({ ca, commonName: 'n', organizationalUnit: 'swarm-manager', organization: 'c', usage: 'client' })
  dataDir = mkdtempSync(join(tmpdir(), 'tsw-ps-'))
  mkdirSync(join(dataDir, 'tls'))
  writeFileSync(join(dataDir, 'tls/ca.pem'), ca.certPem)
  writeFileSync(join(dataDir, 'tls/cert.pem'), cliCert.certPem)
  writeFileSync(join(dataDir, 'tls/key.pem'), cliCert.keyPem)
  const lookups = fakeClient({ services, tasks, nodes, selfId: nodes[0].ID })
  server = createServer({ ca: ca.certPem, cert: srvCert.certPem, key: srvCert.keyPem, requestCert: true, rejectUnauthorized: true }, (req, res) => {
    const url = new URL(req.url ?? '', 'https://x')
    const path = url.pathname.replace(/^\/v1\.\d+/, '')
    requests.push(`${req.method} ${path}${url.search}`)
    const send = (status: number, body: unknown) => res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body))
    if (req.method === 'DELETE') {
      const known = services.some((s) => s.Spec.Name === path.split('/')[2])
      return known ? res.writeHead(200).end() : send(404, { message: `service ${path.split('/')[2]} not found` })
    }
    if (path === '/services/logger/logs') return res.writeHead(200).end(bin('api-logs-logger.bin'))
    const m = /^\/services\/([^/]+)$/.exec(path)
    const detailed = m && full.find((s) => s.Spec.Name === m[1])
    if (detailed) return send(200, detailed)
    const query = Object.fromEntries(url.searchParams)
    lookups.get(path, { query }).then((body) => send(200, body), (err: Error & { status: number }) => send(err.status, { message: err.message }))
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(() => {
  server.close()
  rmSync(dataDir, { recursive: true, force: true })
})

afterEach(() => {
  vi.restoreAllMocks()
  vi.useRealTimers()
  process.exitCode = undefined
})

/** Runs a command class with argv at the time `capture` ran; returns stdout, stderr and the exit code. */
async function run(cmd: { run(argv: string[], opts: Interfaces.LoadOptions): Promise<unknown> }, argv: string[], capture?: string) {
  if (capture) {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(ranAt(capture))
  }
  let out = ''
  let err = ''
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => { out += String(s); return true })
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => { err += String(s); return true })
  requests.length = 0
  await cmd.run([...argv, '--host', host, '--data-dir', dataDir], OCLIF_OPTIONS)
  vi.restoreAllMocks()
  return { out, err, code: process.exitCode ?? 0 }
}

const stderr = (name: string) => { try { return golden(name) } catch { return '' } }

describe('service ls / ps, node ps', () => {
  test('service ls asks for status and prints docker\'s table; -q does not ask for status', async () => {
    expect(await run(ServiceLs, [])).toEqual({ out: golden('service-ls.golden'), err: '', code: 0 })
    expect(requests[0]).toBe('GET /services?status=true')
    expect((await run(ServiceLs, ['-q'])).out).toBe(golden('service-ls-q.golden'))
    expect(requests).toEqual(['GET /services'])
    expect((await run(ServiceLs, ['--format', 'json'])).out).toBe(golden('service-ls-json.golden'))
  })
  test.each([
    ['service-ps-web', ['web']],
    ['service-ps-crash-maxr', ['crash', 'maxr']],
    ['service-ps-full-notrunc', ['--no-trunc', 'full']],
    ['service-ps-noresolve', ['--no-resolve', 'web', 'glob']],
    ['service-ps-q', ['-q', 'web', 'crash']],
    ['service-ps-table-format', ['--format', 'table {{.Name}}\\t{{.Error}}', 'crash']],
    ['service-ps-filter-running', ['-f', 'desired-state=running', 'crash', 'web']],
    ['service-ps-missing', ['web', 'nope']],
    ['service-ps-allmissing', ['nope', 'nada']],
  ])('service ps: %s', async (capture, argv) => {
    const got = await run(ServicePs, argv, capture)
    expect(got.out).toBe(golden(`${capture}.golden`))
    expect(got.err).toBe(stderr(`${capture}.stderr`))
    expect(got.code).toBe(got.err ? 1 : 0)
  })
  test.each([
    ['node-ps', []],
    ['node-ps-q', ['-q']],
    ['node-ps-self-notrunc', ['--no-trunc', '-f', 'desired-state=running', 'self']],
    ['node-ps-missing', ['self', 'nonode']],
  ])('node ps: %s', async (capture, argv) => {
    const got = await run(NodePs, argv, capture)
    expect(got.out).toBe(golden(`${capture}.golden`))
    expect(got.err).toBe(stderr(`${capture}.stderr`))
  })
})

describe('service inspect / rm / logs', () => {
  test('--pretty; a missing service prints nothing in pretty mode, and is reported after the others otherwise', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    expect((await run(ServiceInspect, ['--pretty', 'glob', 'dns'])).out).toBe(golden('service-inspect-pretty-glob-dns.golden'))
    expect(requests[0]).toBe('GET /services/glob?insertDefaults=true')
    expect(await run(ServiceInspect, ['--pretty', 'web', 'nope', 'glob'])).toEqual({ out: '', err: golden('service-inspect-pretty-missing.stderr'), code: 1 })
    const raw = await run(ServiceInspect, ['web', 'nope'])
    expect(JSON.parse(raw.out)[0].Spec.Name).toBe('web')
    expect(raw.err).toBe(golden('service-inspect-missing.stderr'))
    expect((await run(ServiceInspect, ['--pretty', '-f', '{{.ID}}', 'web'])).err).toBe('Error: --format is incompatible with human friendly format\n')
    expect((await run(ServiceInspect, ['--format', 'pretty', 'web'])).out).toBe(golden('service-inspect-pretty-web.golden'))
  })
  test('rm prints each removed name and reports the others at the end', async () => {
    expect(await run(ServiceRm, ['crash', 'nope', 'full'])).toEqual({ out: golden('service-rm.golden'), err: golden('service-rm.stderr'), code: 1 })
  })
  test('logs: stdout and stderr lines with docker\'s prefix', async () => {
    const got = await run(ServiceLogs, ['logger'])
    const sorted = (s: string) => s.split(/(?<=\n)/).sort()
    expect(sorted(got.out)).toEqual(sorted(golden('service-logs.golden')))
    expect(sorted(got.err)).toEqual(sorted(golden('service-logs.stderr')))
    expect(requests).toContain('GET /services/logger/logs?stdout=1&stderr=1&tail=all&details=1')
    expect(await run(ServiceLogs, ['nope'])).toEqual({ out: '', err: golden('service-logs-missing.stderr'), code: 1 })
  })
})
