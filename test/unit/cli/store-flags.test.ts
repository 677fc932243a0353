// --store, --etcd-* and --leader-lease: the etcd store they name, its TLS files read in.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { leaseFromFlags, storeFromFlags } from '../../../src/lib/cli/store-flags.js'
import { InvalidArgumentError } from '../../../src/lib/errors/index.js'

let dir: string
const file = (name: string, text: string) => {
  const p = join(dir, name)
  writeFileSync(p, text)
  return p
}
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'tsw-store-flags-')) })
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const refused = (fn: () => unknown, message: string | RegExp) => {
  expect(fn).toThrow(InvalidArgumentError)
  expect(fn).toThrow(message)
}

describe('storeFromFlags', () => {
  test('without --store: SQLite (undefined)', () => {
    expect(storeFromFlags({})).toBeUndefined()
    expect(storeFromFlags({ store: '' })).toBeUndefined()
    expect(storeFromFlags({ 'leader-lease': '5s' })).toBeUndefined()
  })
  test('etcd TLS flags without --store are refused', () => {
    for (const flag of ['etcd-cacert', 'etcd-cert', 'etcd-key'] as const) {
      refused(() => storeFromFlags({ [flag]: '/some/file' }), '--etcd-cacert, --etcd-cert and --etcd-key go with --store etcd://…')
    }
  })
  test('a URL that is not etcd:// or etcds:// is refused, saying what to use', () => {
    for (const url of ['http://10.0.0.1:2379', 'https://h:2379', '10.0.0.1:2379', 'etcd:/h:2379', 'sqlite://x']) {
      refused(() => storeFromFlags({ store: url }), `invalid --store "${url}": use etcd://HOST:PORT[,HOST:PORT…] (etcds:// for TLS), or leave it out for SQLite`)
    }
  })
  test('etcd:// alone: the URL, no TLS', () => {
    expect(storeFromFlags({ store: 'etcd://10.0.0.1:2379,10.0.0.2:2379' })).toEqual({ URL: 'etcd://10.0.0.1:2379,10.0.0.2:2379', CACert: undefined, Cert: undefined, Key: undefined })
  })
  test('--etcd-cert and --etcd-key go together', () => {
    refused(() => storeFromFlags({ store: 'etcds://h:2379', 'etcd-cert': file('c.pem', 'C') }), '--etcd-cert and --etcd-key go together')
    refused(() => storeFromFlags({ store: 'etcds://h:2379', 'etcd-key': file('k.pem', 'K') }), '--etcd-cert and --etcd-key go together')
  })
  test('the files are read in as PEM text', () => {
    const ca = file('ca.pem', '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n')
    const cert = file('cert.pem', '-----BEGIN CERTIFICATE-----\nLEAF\n-----END CERTIFICATE-----\n')
    const key = file('key.pem', '-----BEGIN PRIVATE KEY-----\nKEY\n-----END PRIVATE KEY-----\n')
    expect(storeFromFlags({ store: 'etcds://h:2379', 'etcd-cacert': ca, 'etcd-cert': cert, 'etcd-key': key })).toEqual({
      URL: 'etcds://h:2379',
      CACert: '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n',
      Cert: '-----BEGIN CERTIFICATE-----\nLEAF\n-----END CERTIFICATE-----\n',
      Key: '-----BEGIN PRIVATE KEY-----\nKEY\n-----END PRIVATE KEY-----\n',
    })
    expect(storeFromFlags({ store: 'etcds://h:2379', 'etcd-cacert': ca })).toEqual({ URL: 'etcds://h:2379', CACert: '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n', Cert: undefined, Key: undefined })
  })
  test('a file that cannot be read names its flag and file', () => {
    const missing = join(dir, 'nope.pem')
    refused(() => storeFromFlags({ store: 'etcds://h:2379', 'etcd-cacert': missing }), new RegExp(`^cannot read --etcd-cacert ${missing}: ENOENT`))
    const cert = file('ok-cert.pem', 'C')
    refused(() => storeFromFlags({ store: 'etcds://h:2379', 'etcd-cert': cert, 'etcd-key': missing }), `cannot read --etcd-key ${missing}`)
    refused(() => storeFromFlags({ store: 'etcds://h:2379', 'etcd-cert': dir, 'etcd-key': cert }), new RegExp(`^cannot read --etcd-cert ${dir}: EISDIR`))
  })
})

describe('leaseFromFlags', () => {
  test('whole seconds, rounded', () => {
    expect(leaseFromFlags({ 'leader-lease': '3s' })).toBe(3)
    expect(leaseFromFlags({ 'leader-lease': '1500ms' })).toBe(2)
    expect(leaseFromFlags({ 'leader-lease': '1s' })).toBe(1)
    expect(leaseFromFlags({ 'leader-lease': '1m30s' })).toBe(90)
  })
  test('less than a second is refused', () => {
    refused(() => leaseFromFlags({ 'leader-lease': '500ms' }), 'invalid --leader-lease "500ms": it must be at least 1s')
    refused(() => leaseFromFlags({ 'leader-lease': '0' }), 'invalid --leader-lease "0": it must be at least 1s')
  })
  test('not a duration is refused', () => {
    refused(() => leaseFromFlags({ 'leader-lease': '3' }), 'invalid argument "3" for "--leader-lease" flag')
    refused(() => leaseFromFlags({ 'leader-lease': 'soon' }), 'invalid argument "soon" for "--leader-lease" flag')
  })
  test('absent: undefined', () => {
    expect(leaseFromFlags({})).toBeUndefined()
    expect(leaseFromFlags({ store: 'etcd://h:2379' })).toBeUndefined()
  })
})
