// gatherArgs, the loop of the inspect and ps commands: everything found in argument order,
// one docker-worded line per argument that failed, thrown together only when asked.
import { describe, expect, test } from 'vitest'
import { ApiError } from '../../../src/lib/client/client.js'
import { gatherArgs, MultiError } from '../../../src/lib/cli/errors.js'

describe('gatherArgs', () => {
  test('keeps going past failures and words them as docker does', async () => {
    const got = await gatherArgs(['a', 'missing', 'b', 'bad'], async (ref) => {
      if (ref === 'missing') throw new ApiError('node missing not found', 404)
      if (ref === 'bad') throw new Error('boom')
      return ref.toUpperCase()
    })
    expect(got.found).toEqual(['A', 'B'])
    expect(got.errors).toEqual(['Error response from daemon: node missing not found', 'Error: boom'])
    let thrown: unknown
    try {
      got.rethrow()
    } catch (err) {
      thrown = err
    }
    expect(thrown).toBeInstanceOf(MultiError)
    expect((thrown as MultiError).lines).toEqual(got.errors)
  })

  test('rethrow is a no-op when every argument was found', async () => {
    const got = await gatherArgs(['x'], async (ref) => ref)
    expect(got.found).toEqual(['x'])
    expect(() => got.rethrow()).not.toThrow()
  })
})
