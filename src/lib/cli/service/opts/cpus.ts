// CPU counts as docker's opts.ParseCPUs reads them: "0.5", "2", "1/4" → NanoCPUs.

const NANO = 1_000_000_000n

/** NanoCPUs of a decimal ("1.5", "2e-1") or a fraction ("1/4"). Throws Error like docker's. */
export function parseCpus(value: string): number {
  const notRational = new Error(`failed to parse ${value} as a rational number`)
  let num: bigint
  let den: bigint
  const frac = /^([+-]?\d+)\/(\d+)$/.exec(value)
  const dec = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(value)
  if (frac) {
    num = BigInt(frac[1])
    den = BigInt(frac[2])
    if (den === 0n) throw notRational
  } else if (dec && (dec[2] || dec[3])) {
    const [, sign, int = '', fr = '', exp = '0'] = dec
    num = BigInt(`${sign}${int}${fr}` || '0')
    const shift = Number(exp) - fr.length
    den = 1n
    if (shift >= 0) num *= 10n ** BigInt(shift)
    else den = 10n ** BigInt(-shift)
  } else {
    throw notRational
  }
  const nano = num * NANO
  if (nano % den !== 0n) throw new Error('value is too precise')
  return Number(nano / den)
}
