// Small renderings docker uses everywhere: Title case, byte sizes, Go times.

/** "ready" → "Ready" (docker's strings.Title on enum values). */
export function title(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1)
}

/** Bytes in binary units with 4 significant digits, as go-units' BytesSize: 23.54GiB. */
export function bytesSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB']
  let i = 0
  let v = bytes
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return `${Number(v.toPrecision(4))}${units[i]}`
}

/** An ISO time as Go's time.String() in UTC, lower-cased as docker's pretty inspect shows it. */
export function goTime(iso: string): string {
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(new Date(iso).toISOString())
  if (!m) return iso
  const frac = (m[3] ?? '').replace(/0+$/, '')
  return `${m[1]} ${m[2]}${frac ? '.' + frac : ''} +0000 utc`
}
