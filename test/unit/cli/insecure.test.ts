import { describe, expect, test } from 'vitest'
import { plainEngineWarning, plainStoreWarning } from '../../../src/lib/cli/insecure.js'

const env = {}

describe('insecure transport warnings', () => {
  test('a plain tcp:// engine off loopback is warned about; TLS, ssh, unix and loopback are not', () => {
    expect(plainEngineWarning({ URL: 'tcp://10.213.0.2:2375' }, env)).toMatch(/^WARNING: the engine tcp:\/\/10\.213\.0\.2:2375 is reached over plain TCP: .*root on its host.*TSW_INSECURE_OK=1/)
    expect(plainEngineWarning({ URL: 'tcp://[fd00::2]:2375' }, env)).toMatch(/plain TCP/)
    for (const URL of ['tcp://127.0.0.1:2375', 'tcp://localhost:2375', 'tcp://[::1]:2375', 'unix:///var/run/docker.sock', 'ssh://ops@10.0.0.2']) {
      expect(plainEngineWarning({ URL }, env)).toBeUndefined()
    }
    expect(plainEngineWarning({ URL: 'tcp://10.0.0.2:2376', TLS: { CA: 'x', Cert: 'c', Key: 'k' } }, env)).toBeUndefined()
    expect(plainEngineWarning({ URL: 'tcp://10.0.0.2:2375' }, { TSW_INSECURE_OK: '1' })).toBeUndefined()
  })
  test('etcd without TLS or without a client certificate is warned about', () => {
    expect(plainStoreWarning(undefined, env)).toBeUndefined()
    expect(plainStoreWarning({ URL: 'etcd://10.0.0.1:2379' }, env)).toMatch(/^WARNING: the store etcd:\/\/10\.0\.0\.1:2379 is reached over plain HTTP, without client certificates/)
    expect(plainStoreWarning({ URL: 'etcds://10.0.0.1:2379', CACert: 'ca' }, env)).toMatch(/without a client certificate/)
    expect(plainStoreWarning({ URL: 'etcds://10.0.0.1:2379', CACert: 'ca', Cert: 'c', Key: 'k' }, env)).toBeUndefined()
    expect(plainStoreWarning({ URL: 'etcd://10.0.0.1:2379' }, { TSW_INSECURE_OK: '1' })).toBeUndefined()
  })
})
