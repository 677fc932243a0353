import { describe, expect, it } from 'vitest'
import { parseNetworkAttachment } from '../../../src/lib/cli/service/opts/network.js'

describe('--network values', () => {
  it('a bare name is the target', () => {
    expect(parseNetworkAttachment('jevic-io')).toEqual({ Target: 'jevic-io' })
  })
  it('the long form gives aliases and driver options', () => {
    expect(parseNetworkAttachment('name=jevic-io,alias=db,alias=primary,driver-opt=k=v')).toEqual({
      Target: 'jevic-io', Aliases: ['db', 'primary'], DriverOpts: { k: 'v' },
    })
  })
  it('an unknown key or a missing name is refused', () => {
    expect(() => parseNetworkAttachment('name=x,colour=red')).toThrow('invalid field key colour')
    expect(() => parseNetworkAttachment('alias=db')).toThrow('network name/id is not specified')
  })
})
