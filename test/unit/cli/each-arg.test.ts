// eachArg with concurrency (tsw node add): several arguments at once, never more than asked,
// yet every line and error in the arguments' order, errors thrown together at the end.
import { describe, expect, test } from 'vitest'
import { eachArg, MultiError } from '../../../src/lib/cli/errors.js'

describe('eachArg', () => {
  test('runs up to `concurrency` at once and prints in argument order', async () => {
    let running = 0
    let most = 0
    const out: string[] = []
    const args = Array.from({ length: 20 }, (_, i) => `a${i}`)
    const run = eachArg(args, async (arg) => {
      running++
      most = Math.max(most, running)
      // Later arguments finish first: the order printed must still be the arguments'.
      await new Promise((r) => setTimeout(r, 40 - Number(arg.slice(1))))
      running--
      if (arg === 'a3' || arg === 'a17') throw new Error(`no ${arg}`)
      return arg.toUpperCase()
    }, (s) => out.push(s), 4)
    const err = await run.then(() => undefined, (e: unknown) => e)
    expect(most).toBe(4)
    expect(out).toEqual(args.filter((a) => a !== 'a3' && a !== 'a17').map((a) => a.toUpperCase() + '\n'))
    expect(err).toBeInstanceOf(MultiError)
    expect((err as MultiError).lines).toEqual(['Error: no a3', 'Error: no a17'])
  })

  test('one at a time by default, each line printed as soon as its argument is done', async () => {
    const out: string[] = []
    await eachArg(['x', 'y'], async (arg) => {
      if (arg === 'y') expect(out).toEqual(['x\n'])
      return arg
    }, (s) => out.push(s))
    expect(out).toEqual(['x\n', 'y\n'])
  })
})
