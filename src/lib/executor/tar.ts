// A minimal ustar archive writer: regular files with their owner and mode, built
// in memory (the Engine API's PUT /containers/{id}/archive takes a tar). Pure.

/** One file of the archive. */
export interface TarFile {
  /** Path inside the archive, relative ("etc/app.conf"). */
  name: string
  data: Buffer
  uid: number
  gid: number
  mode: number
}

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\0'
}

function header(f: TarFile, mtime: number): Buffer {
  const h = Buffer.alloc(512)
  let name = f.name
  let prefix = ''
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf('/', 155)
    if (cut <= 0 || Buffer.byteLength(name.slice(cut + 1)) > 100) throw new Error(`path too long for an archive: ${f.name}`)
    prefix = name.slice(0, cut)
    name = name.slice(cut + 1)
  }
  h.write(name, 0, 100)
  h.write(octal(f.mode & 0o7777, 8), 100)
  h.write(octal(f.uid, 8), 108)
  h.write(octal(f.gid, 8), 116)
  h.write(octal(f.data.length, 12), 124)
  h.write(octal(mtime, 12), 136)
  h.write('        ', 148) // checksum counted as spaces
  h.write('0', 156)
  h.write('ustar\0' + '00', 257)
  h.write(prefix, 345, 155)
  let sum = 0
  for (const b of h) sum += b
  h.write(octal(sum, 7) + ' ', 148)
  return h
}

/** The archive of `files` (mtime `now`, seconds). */
export function tarArchive(files: TarFile[], now = Math.floor(Date.now() / 1000)): Buffer {
  const parts: Buffer[] = []
  for (const f of files) {
    parts.push(header(f, now), f.data)
    const pad = (512 - (f.data.length % 512)) % 512
    if (pad) parts.push(Buffer.alloc(pad))
  }
  parts.push(Buffer.alloc(1024))
  return Buffer.concat(parts)
}
