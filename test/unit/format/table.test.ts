import { describe, expect, test } from 'vitest'
import { renderTable, tabwrite } from '../../../src/lib/format/table.js'
import { displayWidth } from '../../../src/lib/format/width.js'

describe('tabwrite (docker: minwidth 10, padding 3)', () => {
  test('cells pad to max(10, width + 3); the last cell is never padded', () => {
    expect(tabwrite('a\tb\tc\n')).toBe('a         b         c\n')
    expect(tabwrite('abcdefghijkl\tx\nab\ty\n')).toBe('abcdefghijkl   x\nab             y\n')
  })
  test('a tab-terminated last cell is padded (docker prints trailing spaces for empty last columns)', () => {
    expect(tabwrite('a\t\nb\tc\n')).toBe('a         \nb         c\n')
  })
  test('columns are elastic: a column block ends at a line without that cell', () => {
    const opts = { minwidth: 0, padding: 1, padchar: '.' }
    expect(tabwrite('aaaa\tbbb\td\naa\tb\tdd\na\t\naa\tcccc\teee\n', opts))
      .toBe('aaaa.bbb.d\naa...b...dd\na....\naa...cccc.eee\n')
  })
  test('form feed ends all columns', () => {
    expect(tabwrite('a\tb\fccccccccccccc\td\n')).toBe('a         b\nccccccccccccc   d\n')
    expect(tabwrite('a\tb\nccccccccccccc\td\n')).toBe('a               b\nccccccccccccc   d\n')
  })
  test('width counts terminal columns like go-runewidth', () => {
    expect(displayWidth('名前')).toBe(4)
    expect(displayWidth('e\u0301')).toBe(1)
    expect(tabwrite('名前\tx\nab\ty\n')).toBe('名前      x\nab        y\n')
  })
  test('no trailing newline and empty input', () => {
    expect(tabwrite('a\tb')).toBe('a         b')
    expect(tabwrite('')).toBe('')
  })
})

test('renderTable joins cells with tabs, one line per row', () => {
  expect(renderTable([['ID', 'NAME', 'MODE'], ['abc', 'web', 'replicated']])).toBe('ID        NAME      MODE\nabc       web       replicated\n')
  expect(renderTable([])).toBe('')
})
