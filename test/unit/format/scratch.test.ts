import { test } from 'vitest'
import { renderList, renderInspect, compileTemplate } from '../../../src/lib/format/index.js'
test('scratch', () => {
  const rows = [
    { ID: 'nodeID1 *'.slice(0,7), Self: true, Hostname: 'foobar_baz', Status: 'Foo', Availability: 'Drain', ManagerStatus: 'Leader', EngineVersion: '18.03.0-ce', TLSStatus: 'Ready' },
    { ID: 'nodeID2', Self: false, Hostname: 'foobar_bar', Status: 'Bar', Availability: 'Active', ManagerStatus: 'Reachable', EngineVersion: '1.2.3', TLSStatus: 'Ready' },
    { ID: 'nodeID3', Self: false, Hostname: 'foobar_boo', Status: 'Boo', Availability: 'Active', ManagerStatus: '', EngineVersion: '', TLSStatus: 'Ready' },
  ]
  const headers = { ID: 'ID', Self: '', Hostname: 'HOSTNAME', Status: 'STATUS', Availability: 'AVAILABILITY', ManagerStatus: 'MANAGER STATUS', EngineVersion: 'ENGINE VERSION', TLSStatus: 'TLS STATUS' }
  const def = 'table {{.ID}} {{if .Self}}*{{else}} {{ end }}\\t{{.Hostname}}\\t{{.Status}}\\t{{.Availability}}\\t{{.ManagerStatus}}\\t{{.EngineVersion}}'
  console.log(JSON.stringify(renderList(rows, { defaultTable: def, headers })))
  console.log(renderList(rows, { defaultTable: def, headers, format: 'json' }))
  console.log(renderList(rows, { defaultTable: def, headers, format: 'table {{.ID}}\t{{.Hostname}}\t{{.TLSStatus}}' }))
  console.log(renderInspect([{ A: 1, B: { C: '<x>' }, L: [] }]))
  console.log(compileTemplate('{{range $k, $v := .}}{{$k}}={{$v}};{{end}} {{printf "%-6s|%5.2f|%q|%d" "ab" 3.14159 "hi\\n" 42}} {{len .A}} {{index .M "x"}} {{.M}} {{json .}}')({ A: 'héllo', M: { x: 'y', a: 'b' }, Z: 1.5e-7 }))
  try { compileTemplate('{{.Foo}}')({}) } catch (e) { console.log((e as Error).message) }
  try { compileTemplate('x\n {{.Foo | bar}}') } catch (e) { console.log((e as Error).message) }
  try { compileTemplate('{{if .A}}') } catch (e) { console.log((e as Error).message) }
})
