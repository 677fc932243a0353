import { describe, expect, test } from 'vitest'
import { renderList } from '../../../src/lib/format/list.js'

// The node ls context as docker's cli/command/node/formatter.go defines it.
const defaultTable = 'table {{.ID}} {{if .Self}}*{{else}} {{ end }}\\t{{.Hostname}}\\t{{.Status}}\\t{{.Availability}}\\t{{.ManagerStatus}}\\t{{.EngineVersion}}'
const headers = {
  ID: 'ID', Self: '', Hostname: 'HOSTNAME', Status: 'STATUS', Availability: 'AVAILABILITY',
  ManagerStatus: 'MANAGER STATUS', EngineVersion: 'ENGINE VERSION', TLSStatus: 'TLS STATUS',
}
const row = (ID: string, Hostname: string, Status: string, Availability: string, ManagerStatus: string, EngineVersion: string, Self = false, TLSStatus = 'Ready') =>
  ({ ID, Self, Hostname, Status, Availability, ManagerStatus, EngineVersion, TLSStatus })
// The nodes of docker/cli's TestNodeContextWrite.
const nodes = [
  row('nodeID1', 'foobar_baz', 'Foo', 'Drain', 'Leader', '18.03.0-ce', false, 'Needs Rotation'),
  row('nodeID2', 'foobar_bar', 'Bar', 'Active', 'Reachable', '1.2.3'),
  row('nodeID3', 'foobar_boo', 'Boo', 'Active', '', '', false, 'Unknown'),
]
const list = (format?: string, quiet?: boolean, items = nodes): string => renderList(items, { format, quiet, defaultTable, headers })

describe('renderList, checked against docker/cli golden output', () => {
  test('default table', () => {
    expect(list()).toBe(
      'ID          HOSTNAME     STATUS    AVAILABILITY   MANAGER STATUS   ENGINE VERSION\n' +
      'nodeID1     foobar_baz   Foo       Drain          Leader           18.03.0-ce\n' +
      'nodeID2     foobar_bar   Bar       Active         Reachable        1.2.3\n' +
      'nodeID3     foobar_boo   Boo       Active                          \n')
    expect(list('table')).toBe(list())
  })
  test('a real-sized node ls, with the self marker', () => {
    const real = [
      row('1bcef6utixb0l0ca7gxuivsj0', 'worker2', 'Ready', 'Active', '', '27.3.1'),
      row('e216jshn25ckzbvmwlnh5jr3g', 'manager1', 'Ready', 'Active', 'Leader', '27.3.1', true),
    ]
    expect(list(undefined, false, real)).toBe(
      'ID                            HOSTNAME   STATUS    AVAILABILITY   MANAGER STATUS   ENGINE VERSION\n' +
      '1bcef6utixb0l0ca7gxuivsj0     worker2    Ready     Active                          27.3.1\n' +
      'e216jshn25ckzbvmwlnh5jr3g *   manager1   Ready     Active         Leader           27.3.1\n')
  })
  test('quiet prints one ID per line; a custom format wins over quiet', () => {
    expect(list(undefined, true)).toBe('nodeID1\nnodeID2\nnodeID3\n')
    expect(list('table', true)).toBe('nodeID1\nnodeID2\nnodeID3\n')
    expect(list('table {{.Hostname}}', true)).toBe('HOSTNAME\nfoobar_baz\nfoobar_bar\nfoobar_boo\n')
    expect(renderList([{ Name: 'a' }], { quiet: true, quietField: 'Name', defaultTable: 'table {{.Name}}', headers: {} })).toBe('a\n')
  })
  test('custom table and raw templates', () => {
    expect(list('table {{.ID}}\t{{.Hostname}}\t{{.TLSStatus}}')).toBe(
      'ID        HOSTNAME     TLS STATUS\nnodeID1   foobar_baz   Needs Rotation\nnodeID2   foobar_bar   Ready\nnodeID3   foobar_boo   Unknown\n')
    expect(list('{{.Hostname}}  {{.TLSStatus}}')).toBe('foobar_baz  Needs Rotation\nfoobar_bar  Ready\nfoobar_boo  Unknown\n')
    expect(list('{{.ID}}\\t{{upper .Status}}')).toBe('nodeID1\tFOO\nnodeID2\tBAR\nnodeID3\tBOO\n')
  })
  test('json prints the row context with sorted keys; header functions leave titles intact but pad applies', () => {
    expect(list('json').split('\n')[0]).toBe(
      '{"Availability":"Drain","EngineVersion":"18.03.0-ce","Hostname":"foobar_baz","ID":"nodeID1","ManagerStatus":"Leader","Self":false,"Status":"Foo","TLSStatus":"Needs Rotation"}')
    expect(list('{{json .ID}}')).toBe('"nodeID1"\n"nodeID2"\n"nodeID3"\n')
    expect(list('table {{lower .ID}}\t{{pad .Status 1 1}}')).toBe('ID         STATUS \nnodeid1    Foo \nnodeid2    Bar \nnodeid3    Boo \n')
  })
  test('an empty list still prints the table header', () => {
    expect(list(undefined, false, [])).toBe('ID        HOSTNAME   STATUS    AVAILABILITY   MANAGER STATUS   ENGINE VERSION\n')
    expect(list('json', false, [])).toBe('')
  })
  test('errors are worded like docker', () => {
    expect(() => list('{{InvalidFunction}}')).toThrow('template parsing error: template: :1: function "InvalidFunction" not defined')
    expect(() => list('{{nil}}')).toThrow('template parsing error: template: :1:2: executing "" at <nil>: nil is not a command')
    expect(() => list('table {{.Foo}}')).toThrow('template parsing error: template: :1:2: executing "" at <.Foo>: can\'t evaluate field Foo')
  })
})
