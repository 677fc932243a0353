// Shell-like word splitting for --entrypoint and --args (docker uses google/shlex).

/** The words of `s`: whitespace separates, '…' and "…" quote, backslash escapes. Throws Error on an open quote. */
export function shlexSplit(s: string): string[] {
  const words: string[] = []
  let word = ''
  let inWord = false
  let quote: '"' | "'" | undefined
  for (let i = 0; i < s.length; i++) {
    const c = s[i]
    if (quote === "'") {
      if (c === "'") quote = undefined
      else word += c
    } else if (quote === '"') {
      if (c === '"') quote = undefined
      else if (c === '\\' && i + 1 < s.length && '"\\$`\n'.includes(s[i + 1])) word += s[++i]
      else word += c
    } else if (c === "'" || c === '"') {
      quote = c
      inWord = true
    } else if (c === '\\') {
      if (i + 1 >= s.length) throw new Error('EOF found after escape character')
      word += s[++i]
      inWord = true
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word)
      word = ''
      inWord = false
    } else {
      word += c
      inWord = true
    }
  }
  if (quote) throw new Error('EOF found when expecting closing quote')
  if (inWord) words.push(word)
  return words
}
