// network ls / inspect rendering against what docker 28.2 printed for the same networks (cli-golden/).
import { describe, expect, test } from 'vitest'
import { goTimeString, networkRow, renderNetworkInspect, renderNetworks } from '../../../src/lib/format/networks.js'
import { NETWORKS, golden } from './cli-fixtures.js'

const byName = (...names: string[]) => names.map((n) => NETWORKS.find((x) => x.Name === n)!)

describe('network ls', () => {
  test.each([
    ['network-ls', {}],
    ['network-ls-notrunc', { noTrunc: true }],
    ['network-ls-q', { quiet: true }],
    ['network-ls-q-notrunc', { quiet: true, noTrunc: true }],
    ['network-ls-json', { format: 'json' }],
    ['network-ls-table-all', { format: 'table {{.ID}}\\t{{.Name}}\\t{{.IPv4}}\\t{{.IPv6}}\\t{{.Internal}}\\t{{.Labels}}\\t{{.CreatedAt}}' }],
    ['network-ls-format', { format: '{{.Name}}: {{.Driver}}/{{.Scope}}' }],
    ['network-ls-q-format', { quiet: true, format: '{{.Name}}' }],
  ])('%s', (name, opts) => {
    expect(renderNetworks(NETWORKS, opts)).toBe(golden(`${name}.golden`))
  })

  test('no networks: the header alone', () => {
    expect(renderNetworks([], {})).toBe('NETWORK ID   NAME      DRIVER    SCOPE\n')
  })

  test('labels are joined in key order; IPv4 is true when the manager leaves EnableIPv4 out', () => {
    const [n] = byName('web-net')
    const row = networkRow({ ...n, Labels: { z: '1', a: '', m: 'x=y' }, EnableIPv4: undefined } as never)
    expect(row.Labels).toBe('a=,m=x=y,z=1')
    expect(row.IPv4).toBe('true')
  })
})

describe('goTimeString', () => {
  test('as Go prints a time read from JSON', () => {
    expect(goTimeString('2025-03-04T10:11:12.123456789Z')).toBe('2025-03-04 10:11:12.123456789 +0000 UTC')
    expect(goTimeString('2025-03-04T10:11:12.100Z')).toBe('2025-03-04 10:11:12.1 +0000 UTC')
    expect(goTimeString('2025-03-02T09:30:00.5+02:00')).toBe('2025-03-02 09:30:00.5 +0200 +0200')
    expect(goTimeString('2025-03-02T09:30:00-05:30')).toBe('2025-03-02 09:30:00 -0530 -0530')
    expect(goTimeString('')).toBe('')
  })
})

describe('network inspect', () => {
  test('no format: the objects as the manager sent them, indented by 4', () => {
    expect(renderNetworkInspect(byName('web-net', 'ingress'))).toEqual({ out: golden('network-inspect.golden'), errors: [] })
    expect(renderNetworkInspect([])).toEqual({ out: golden('network-inspect-none.golden'), errors: [] })
  })
  test('json: compact', () => {
    expect(renderNetworkInspect(byName('app9', 'ingress'), 'json').out).toBe(golden('network-inspect-json.golden'))
  })
  test('a template: one line per network', () => {
    expect(renderNetworkInspect(byName('web-net'), '{{.Name}} {{.Id}} {{json .Labels}}').out).toBe(golden('network-inspect-missing.golden'))
  })
  test('a template that fails on a network: an error for it, an empty line when nothing printed', () => {
    expect(renderNetworkInspect(byName('app9'), '{{.Nope}}')).toEqual({
      out: golden('network-inspect-nokey.golden'),
      errors: [golden('network-inspect-nokey.stderr').trimEnd()],
    })
    const two = [{ Name: 'a', X: 1 }, { Name: 'b' }] as never[]
    expect(renderNetworkInspect(two, '{{.Name}} {{.X}}')).toEqual({
      out: 'a 1\n',
      errors: ['template parsing error: template: :1:12: executing "" at <.X>: map has no entry for key "X"'],
    })
  })
  test('a template that does not parse: an error before anything', () => {
    expect(() => renderNetworkInspect(byName('app9'), '{{.Name')).toThrow('template parsing error: template: :1: unclosed action')
  })
})
