// The image of tsw's network helper: busybox, iproute2 (ip, bridge) and
// iptables, copied with their libraries from the manager's own host into a
// flat root filesystem (about 9 MB) that engines import with
// POST /images/create?fromSrc=-. No registry is needed, and the iptables is
// the one engines on hosts like the manager's use (nft or legacy).
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { ImageArchive } from '../engine/image-import.js'
import { FailedPreconditionError } from '../errors/index.js'

export const HELPER_REPO = 'tsw-net'

/** The helper image: its root filesystem tar, and repo:tag with the tag a digest of the content. */
export type HelperImage = ImageArchive

const TOOLS: Array<{ name: string; links?: string[] }> = [
  { name: 'busybox', links: ['sh', 'awk', 'grep', 'cut', 'tr', 'sleep', 'cat', 'echo'] },
  { name: 'ip' },
  { name: 'bridge' },
  { name: 'iptables', links: ['iptables-restore', 'iptables-save'] },
]

/** Builds the image from this host's binaries into `workDir` (replaced). Throws with what to install when a tool is missing. */
export function buildHelperImage(workDir: string): HelperImage {
  const root = join(workDir, 'rootfs')
  rmSync(workDir, { recursive: true, force: true })
  mkdirSync(join(root, 'bin'), { recursive: true })
  mkdirSync(join(root, 'run'), { recursive: true })
  mkdirSync(join(root, 'tmp'), { recursive: true })
  // The layout's version is part of the tag: a new layout is a new image.
  const hash = createHash('sha256').update('tsw-net layout 2')
  const copied = new Set<string>()
  const copy = (file: string) => {
    const real = realpathSync(file)
    for (const target of new Set([file, real])) {
      if (copied.has(target)) continue
      copied.add(target)
      mkdirSync(join(root, dirname(target)), { recursive: true })
      cpSync(real, join(root, target), { dereference: true })
      hash.update(target).update(readFileSync(real))
    }
    return real
  }
  for (const tool of TOOLS) {
    const path = which(tool.name)
    if (!path) {
      throw new FailedPreconditionError(`cannot build the network helper image: "${tool.name}" is not installed on the manager's host (install busybox-static, iproute2 and iptables)`)
    }
    const real = copy(path)
    for (const lib of sharedLibraries(real)) copy(lib)
    // busybox's shell runs its own applets (a feeble `ip`) before anything on
    // PATH, so the script calls the real tools by absolute path: /tsw/<name>.
    mkdirSync(join(root, 'tsw'), { recursive: true })
    for (const link of [tool.name, ...(tool.links ?? [])]) {
      for (const at of [join(root, 'tsw', link), join(root, 'bin', link)]) if (!existsSync(at)) symlinkSync(real, at)
    }
  }
  // iptables' match and target modules, with their libraries.
  const xtables = ['/usr/lib/x86_64-linux-gnu/xtables', '/usr/lib/aarch64-linux-gnu/xtables', '/usr/lib/xtables', '/usr/lib64/xtables']
    .find((d) => existsSync(d))
  if (xtables) {
    for (const f of readdirSync(xtables).filter((x) => x.endsWith('.so')).sort()) {
      copy(join(xtables, f))
      for (const lib of sharedLibraries(join(xtables, f))) copy(lib)
    }
  }
  const tag = hash.digest('hex').slice(0, 16)
  const tar = execFileSync('tar', ['-C', root, '-c', '.'], { maxBuffer: 256 << 20 })
  return { ref: `${HELPER_REPO}:${tag}`, tag, tar }
}

function which(name: string): string | undefined {
  for (const dir of ['/usr/sbin', '/usr/bin', '/sbin', '/bin', '/usr/local/sbin', '/usr/local/bin']) {
    if (existsSync(join(dir, name))) return join(dir, name)
  }
  return undefined
}

/** The shared libraries (and the loader) a binary needs, from ldd; none for a static one. */
function sharedLibraries(file: string): string[] {
  let out: string
  try {
    out = execFileSync('ldd', [file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
  } catch {
    return [] // "not a dynamic executable"
  }
  const libs: string[] = []
  for (const line of out.split('\n')) {
    const m = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line)
    if (m) libs.push(m[1])
  }
  return libs
}
