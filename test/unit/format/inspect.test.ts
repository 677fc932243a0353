import { describe, expect, test } from 'vitest'
import { renderInspect } from '../../../src/lib/format/inspect.js'

const node = { ID: 'n1', Spec: { Labels: { env: 'a<b>&c' }, Role: 'manager' }, Status: { State: 'ready' }, Plugins: [] }

describe('renderInspect', () => {
  test('no format: a JSON array indented by 4 spaces, then a newline', () => {
    expect(renderInspect([node])).toBe(`[
    {
        "ID": "n1",
        "Spec": {
            "Labels": {
                "env": "a<b>&c"
            },
            "Role": "manager"
        },
        "Status": {
            "State": "ready"
        },
        "Plugins": []
    }
]
`)
    expect(renderInspect([])).toBe('[]\n')
  })
  test('json: the same array, compact', () => {
    expect(renderInspect([{ A: 1 }, { A: '\u2028' }], 'json')).toBe('[{"A":1},{"A":"\\u2028"}]\n')
    expect(renderInspect([], 'json')).toBe('[]\n')
  })
  test('a template renders once per object', () => {
    expect(renderInspect([node, { ...node, ID: 'n2' }], '{{.ID}} {{.Spec.Role}} {{json .Spec.Labels}}'))
      .toBe('n1 manager {"env":"a<b>&c"}\nn2 manager {"env":"a<b>&c"}\n')
    expect(renderInspect([], '{{.ID}}')).toBe('\n')
  })
  test('a missing key is an error, as in docker', () => {
    expect(() => renderInspect([node], '{{.Nope}}'))
      .toThrow('template parsing error: template: :1:2: executing "" at <.Nope>: map has no entry for key "Nope"')
  })
})
