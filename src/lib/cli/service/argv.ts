// Docker's flag habits that oclif lacks, applied to argv before parsing:
// - `service create IMAGE [COMMAND] [ARG...]` stops reading flags at IMAGE
//   (cobra's SetInterspersed(false)), so `create alpine sh -c 'x'` passes -c to sh;
// - booleans take `--flag=true|false` (`update --tty=false`).

/** The bits of an oclif flag definition this needs. */
export interface FlagShape {
  type: string
  char?: string
  allowNo?: boolean
}

/**
 * argv rewritten for oclif: `--b=true` → `--b`, `--b=false` → `--no-b` (or
 * dropped when b has no --no- form); with `stopAtFirstArg`, a `--` after the
 * first positional argument so that everything after it stays an argument.
 * `words`, when given, gets that first argument and everything after it, in
 * order: oclif's own list sorts its words by where each string first appears
 * in argv, so `--replicas 2 busybox sleep 2` would come back reordered.
 */
export function normalizeArgv(argv: string[], flags: Record<string, FlagShape>, stopAtFirstArg: boolean, words?: string[]): string[] {
  const byChar = new Map<string, FlagShape>()
  for (const f of Object.values(flags)) if (f.char) byChar.set(f.char, f)
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--') {
      words?.push(...argv.slice(i + 1))
      return [...out, ...argv.slice(i)]
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=')
      const name = a.slice(2, eq < 0 ? undefined : eq)
      const flag = flags[name]
      if (flag?.type === 'boolean' && eq >= 0) {
        const v = a.slice(eq + 1).toLowerCase()
        if (['true', '1', 't'].includes(v)) { out.push(`--${name}`); continue }
        if (['false', '0', 'f'].includes(v)) { if (flag.allowNo) out.push(`--no-${name}`); continue }
      }
      out.push(a)
      // A value flag written `--flag value` takes the next word.
      if (flag && flag.type !== 'boolean' && eq < 0 && i + 1 < argv.length) out.push(argv[++i])
      continue
    }
    if (a.startsWith('-') && a.length > 1) {
      out.push(a)
      // -abc: booleans until a value flag, which takes the rest of the word or the next one.
      for (let j = 1; j < a.length; j++) {
        const flag = byChar.get(a[j])
        if (flag && flag.type !== 'boolean') {
          if (j === a.length - 1 && i + 1 < argv.length) out.push(argv[++i])
          break
        }
      }
      continue
    }
    out.push(a)
    if (stopAtFirstArg) {
      // `IMAGE -- CMD` means the same as `IMAGE CMD`.
      const rest = argv.slice(argv[i + 1] === '--' ? i + 2 : i + 1)
      words?.push(a, ...rest)
      return rest.length ? [...out, '--', ...rest] : out
    }
  }
  return out
}
