import { describe, expect, test } from 'vitest'
import { compileTemplate } from '../../../src/lib/format/template/index.js'

const render = (src: string, data: unknown = {}): string => compileTemplate(src)(data)
const errorOf = (fn: () => unknown): string => {
  try { fn() } catch (e) { return (e as Error).message }
  throw new Error('expected an error')
}

describe('fields and values', () => {
  test('fields, nested fields, dot, literals', () => {
    const data = { ID: 'abc', Spec: { Name: 'web', Mode: { Replicated: { Replicas: 3 } } }, Ok: true }
    expect(render('{{.ID}} {{.Spec.Name}} {{.Spec.Mode.Replicated.Replicas}} {{.Ok}}', data)).toBe('abc web 3 true')
    expect(render('{{.}}', 'plain')).toBe('plain')
    expect(render('{{"lit"}} {{`raw\\n`}} {{42}} {{true}} {{0x1F}}')).toBe('lit raw\\n 42 true 31')
  })
  test('Go %v printing of composite values', () => {
    const data = { L: ['a', 'b'], M: { x: 'y', a: 1 }, N: null, F: 0.5, G: 1.5e-7, H: 1234567.5, I: 1e6 }
    expect(render('{{.L}} {{.M}} {{.N}} {{.F}} {{.G}} {{.H}} {{.I}}', data))
      .toBe('[a b] map[a:1 x:y] <nil> 0.5 1.5e-07 1.2345675e+06 1000000')
  })
  test('json: compact, keys in object order, no HTML escaping', () => {
    const data = { Name: 'a<b>&c', Labels: { z: '1', a: '2' }, L: [1, 'x'], N: null }
    expect(render('{{json .}}', data)).toBe('{"Name":"a<b>&c","Labels":{"z":"1","a":"2"},"L":[1,"x"],"N":null}')
    expect(render('{{json .Name}} {{json .L}} {{json .N}}', data)).toBe('"a<b>&c" [1,"x"] null')
    expect(render('{{json .}}', 'line\u2028sep')).toBe('"line\\u2028sep"')
  })
})

describe('docker functions', () => {
  const data = { ID: 'abcdefghijkl', Names: ['a', 'b', 'c'], S: 'x,y,z', Name: 'hello world-foo_bar', E: '' }
  test('join split upper lower title', () => {
    expect(render('{{join .Names ", "}}|{{split .S ","}}|{{upper .ID}}|{{lower "AbC"}}|{{title .Name}}', data))
      .toBe('a, b, c|[x y z]|ABCDEFGHIJKL|abc|Hello World-Foo_bar')
  })
  test('truncate and pad', () => {
    expect(render('[{{truncate .ID 5}}][{{truncate .ID 50}}][{{pad "x" 2 3}}][{{pad .E 2 3}}]', data))
      .toBe('[abcde][abcdefghijkl][  x   ][]')
  })
  test('printf verbs, flags, widths', () => {
    expect(render('{{printf "%-6s|%6s|%.3s|%5d|%05d|%q|%v|%x|%.2f|%t|%%" "ab" "cd" "efgh" 42 -42 "a\\"b\\n" 7 255 3.14159 true}}'))
      .toBe('ab    |    cd|efg|   42|-0042|"a\\"b\\n"|7|ff|3.14|true|%')
    expect(render('{{printf "%s %s" "a"}}|{{printf "%s" "a" 3}}|{{printf "%d" "x"}}'))
      .toBe('a %!s(MISSING)|a%!(EXTRA int=3)|%!d(string=x)')
    expect(render('{{.Name | printf "%s!" | upper}}', { Name: 'web' })).toBe('WEB!')
  })
  test('print and println', () => {
    expect(render('{{print "a" 1 2 "b"}}|{{println "a" 1}}|')).toBe('a1 2b|a 1\n|')
  })
})

describe('builtins and control structures', () => {
  test('if / else if / else with comparisons', () => {
    const t = compileTemplate('{{if eq .S "a" "b"}}ab{{else if gt .N 5}}big{{else if not .N}}zero{{else}}other{{end}}')
    expect([t({ S: 'b', N: 0 }), t({ S: 'x', N: 9 }), t({ S: 'x', N: 0 }), t({ S: 'x', N: 2 })]).toEqual(['ab', 'big', 'zero', 'other'])
    expect(render('{{if and .A .B}}y{{else}}n{{end}} {{or .E "dflt"}} {{ne 1 2}} {{lt "a" "b"}} {{le 2 2}} {{ge 1 2}}', { A: 1, B: 'x', E: '' }))
      .toBe('y dflt true true true false')
  })
  test('truth of empty values', () => {
    expect(render('{{if .L}}1{{end}}{{if .M}}2{{end}}{{if .S}}3{{end}}{{if .Z}}4{{end}}{{if .N}}5{{end}}', { L: [], M: {}, S: '', Z: 0, N: null })).toBe('')
  })
  test('range rebinds dot, with else, index/element and sorted map keys', () => {
    const data = { Items: [{ Name: 'a' }, { Name: 'b' }], Labels: { zeta: '1', alpha: '2' }, None: [] }
    expect(render('{{range .Items}}<{{.Name}}>{{end}}', data)).toBe('<a><b>')
    expect(render('{{range $i, $e := .Items}}{{$i}}={{$e.Name}} {{end}}', data)).toBe('0=a 1=b ')
    expect(render('{{range $k, $v := .Labels}}{{$k}}={{$v}};{{end}}', data)).toBe('alpha=2;zeta=1;')
    expect(render('{{range .None}}x{{else}}empty{{end}}', data)).toBe('empty')
    expect(render('{{range $e := .Items}}{{$e.Name}}{{$.Labels.zeta}}{{end}}', data)).toBe('a1b1')
  })
  test('with, variables, assignment, len, index, parentheses', () => {
    const data = { Spec: { Labels: { 'com.docker.stack.namespace': 'st' } }, Items: [{ Name: 'a' }, { Name: 'b' }], S: 'héllo' }
    expect(render('{{with .Spec}}{{index .Labels "com.docker.stack.namespace"}}{{end}}', data)).toBe('st')
    expect(render('{{with .Missing}}x{{else}}none{{end}}', { Missing: '' })).toBe('none')
    expect(render('{{$x := "a"}}{{$x}}{{$x = "b"}}{{$x}}', data)).toBe('ab')
    expect(render('{{len .Items}} {{len .S}} {{(index .Items 1).Name}} [{{index .Spec.Labels "nope"}}]', data)).toBe('2 6 b []')
  })
  test('trim markers and comments', () => {
    expect(render('a  {{- .X -}}  \n b', { X: 'X' })).toBe('aXb')
    expect(render('{{/* note */}}a{{- /* trimmed */ -}} b')).toBe('ab')
    const pretty = 'ID:\t{{.ID}}\n{{- if .Labels }}\nLabels:\n{{- range $k, $v := .Labels }}\n - {{ $k }}{{if $v }}={{ $v }}{{ end }}\n{{- end }}{{ end }}\nEnd'
    expect(render(pretty, { ID: 'n1', Labels: { b: '', a: 'x' } })).toBe('ID:\tn1\nLabels:\n - a=x\n - b\nEnd')
    expect(render(pretty, { ID: 'n1', Labels: {} })).toBe('ID:\tn1\nEnd')
  })
})

describe('errors', () => {
  test('unknown field names the field', () => {
    expect(errorOf(() => render('{{.ID}} {{.Foo}}', { ID: 'x' })))
      .toBe('template: :1:10: executing "" at <.Foo>: can\'t evaluate field Foo in type object')
    expect(errorOf(() => render('{{.A.B}}', { A: null }))).toContain('nil pointer evaluating interface {}.B')
    expect(errorOf(() => render('{{.A.B}}', { A: 'str' }))).toContain("can't evaluate field B in type string")
  })
  test('missing-key modes', () => {
    expect(compileTemplate('{{.Foo}}', { missingKey: 'invalid' })({})).toBe('<no value>')
    expect(errorOf(() => compileTemplate('{{.Foo}}', { missingKey: 'error' })({})))
      .toBe('template: :1:2: executing "" at <.Foo>: map has no entry for key "Foo"')
  })
  test('function errors', () => {
    expect(errorOf(() => render('{{upper .N}}', { N: 1 }))).toBe('template: :1:2: executing "" at <upper .N>: wrong type for value; expected string; got int')
    expect(errorOf(() => render('{{upper}}'))).toContain('wrong number of args for upper: want 1 got 0')
    expect(errorOf(() => render('{{index .L 5}}', { L: [] }))).toContain('error calling index: index out of range: 5')
    expect(errorOf(() => render('{{eq 1 "a"}}'))).toContain('error calling eq: incompatible types for comparison')
    expect(errorOf(() => render('{{nil}}'))).toBe('template: :1:2: executing "" at <nil>: nil is not a command')
  })
  test('parse errors say what is wrong', () => {
    expect(errorOf(() => compileTemplate('{{InvalidFunction}}'))).toBe('template: :1: function "InvalidFunction" not defined')
    expect(errorOf(() => compileTemplate('{{.A'))).toBe('template: :1: unclosed action')
    expect(errorOf(() => compileTemplate('{{if .A}}x'))).toBe('template: :1: unexpected EOF')
    expect(errorOf(() => compileTemplate('x\n{{end}}'))).toBe('template: :2: unexpected {{end}}')
    expect(errorOf(() => compileTemplate('{{$x}}'))).toBe('template: :1: undefined variable "$x"')
    expect(errorOf(() => compileTemplate('{{"abc}}'))).toBe('template: :1: unterminated quoted string')
    expect(errorOf(() => compileTemplate('{{.A #}}'))).toBe("template: :1: unrecognized character in action: U+0023 '#'")
  })
})
