import { describe, expect, test } from 'vitest'
import { parseFilters } from '../../../src/lib/filters/parse.js'

const ALLOWED = ['name', 'driver', 'label', 'role']

describe('parseFilters', () => {
  test("docker's map form and the older list form", () => {
    expect(parseFilters('{"name":{"web":true,"db":true},"driver":{"overlay":true}}', ALLOWED))
      .toEqual(new Map([['name', ['web', 'db']], ['driver', ['overlay']]]))
    expect(parseFilters('{"role":["manager"]}', ALLOWED)).toEqual(new Map([['role', ['manager']]]))
  })
  test('empty or missing is no filter', () => {
    expect(parseFilters('', ALLOWED).size).toBe(0)
    expect(parseFilters(null, ALLOWED).size).toBe(0)
    expect(parseFilters(undefined, ALLOWED).size).toBe(0)
  })
  test('anything that is neither form is dockerd\'s "invalid filter" (400)', () => {
    for (const bad of ['{', '[]', '{"name":"web"}', 'null', '"x"', '{"name":3}']) {
      expect(() => parseFilters(bad, ALLOWED)).toThrow(/^invalid filter$/)
    }
    try { parseFilters('{', ALLOWED) } catch (e) { expect((e as { status: number }).status).toBe(400) }
  })
  test("a name the endpoint does not know is dockerd's invalid filter 'x' (400)", () => {
    expect(() => parseFilters('{"colour":{"red":true}}', ALLOWED)).toThrow(/^invalid filter 'colour'$/)
    try { parseFilters('{"colour":["red"]}', ALLOWED) } catch (e) { expect((e as { status: number }).status).toBe(400) }
  })
})
