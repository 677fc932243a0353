// Numbers as Go's strconv parses them, with its error words.

function syntax(fn: string, s: string): Error {
  return new Error(`strconv.${fn}: parsing "${s}": invalid syntax`)
}

/** An unsigned integer as strconv.ParseUint(s, 0, 64): decimal, 0x hex, 0o/0 octal, 0b binary. Throws Error. */
export function parseUint(s: string): number {
  const m = /^(?:0x([0-9a-f_]+)|0o?([0-7_]+)|0b([01_]+)|([0-9_]+))$/i.exec(s)
  if (!m || s.startsWith('_') || s.endsWith('_')) throw syntax('ParseUint', s)
  const [, hex, oct, bin, dec] = m
  const digits = (hex ?? oct ?? bin ?? dec).replace(/_/g, '')
  const radix = hex ? 16 : oct ? 8 : bin ? 2 : 10
  const v = parseInt(digits, radix)
  if (!Number.isSafeInteger(v)) throw new Error(`strconv.ParseUint: parsing "${s}": value out of range`)
  return v
}

/** A signed decimal integer as strconv.Atoi. Throws Error. */
export function parseInt10(s: string): number {
  if (!/^[+-]?\d+$/.test(s)) throw syntax('Atoi', s)
  const v = Number(s)
  if (!Number.isSafeInteger(v)) throw new Error(`strconv.Atoi: parsing "${s}": value out of range`)
  return v
}

/** A float as strconv.ParseFloat. Throws Error. */
export function parseFloat64(s: string): number {
  if (!/^[+-]?(?:\d+\.?\d*(?:e[+-]?\d+)?|\.\d+(?:e[+-]?\d+)?|inf|infinity|nan)$/i.test(s)) throw syntax('ParseFloat', s)
  return Number(s.replace(/^([+-]?)inf(inity)?$/i, '$1Infinity'))
}

/** A signed 64-bit decimal integer as strconv.ParseInt(s, 0, 64) reads pflag's int64 flags. Throws Error. */
export function parseInt64(s: string): number {
  const m = /^([+-]?)(?:0x([0-9a-f]+)|0o?([0-7]+)|0b([01]+)|([0-9]+))$/i.exec(s)
  if (!m) throw syntax('ParseInt', s)
  const [, sign, hex, oct, bin, dec] = m
  const v = parseInt(hex ?? oct ?? bin ?? dec, hex ? 16 : oct ? 8 : bin ? 2 : 10) * (sign === '-' ? -1 : 1)
  if (!Number.isSafeInteger(v)) throw new Error(`strconv.ParseInt: parsing "${s}": value out of range`)
  return v
}
