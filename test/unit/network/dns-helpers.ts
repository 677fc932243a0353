// Raw DNS exchanges for the server tests: one UDP datagram, or TCP frames.
import dgram from 'node:dgram'
import net from 'node:net'
import { promises as dnsPromises } from 'node:dns'

/** Sends msg over UDP to 127.0.0.1:port; returns the first reply, or undefined after waitMs. */
export function udpExchange(port: number, msg: Buffer, waitMs = 1_000): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const sock = dgram.createSocket('udp4')
    const done = (reply?: Buffer): void => {
      clearTimeout(timer)
      sock.close()
      resolve(reply)
    }
    const timer = setTimeout(done, waitMs)
    sock.on('message', (reply) => done(reply))
    sock.send(msg, port, '127.0.0.1')
  })
}

/** Writes chunks to a TCP connection to 127.0.0.1:port; returns the framed replies and whether the server closed. */
export function tcpExchange(port: number, chunks: Buffer[], want: number, waitMs = 1_000): Promise<{ replies: Buffer[]; closed: boolean }> {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1')
    const replies: Buffer[] = []
    let buf = Buffer.alloc(0)
    let closed = false
    const done = (): void => {
      clearTimeout(timer)
      sock.destroy()
      resolve({ replies, closed })
    }
    const timer = setTimeout(done, waitMs)
    sock.on('error', () => {})
    sock.on('close', () => {
      closed = true
      done()
    })
    sock.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk])
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        replies.push(buf.subarray(2, 2 + buf.readUInt16BE(0)))
        buf = buf.subarray(2 + buf.readUInt16BE(0))
      }
      if (replies.length >= want) done()
    })
    sock.on('connect', async () => {
      for (const c of chunks) {
        sock.write(c)
        await new Promise((r) => setTimeout(r, 5))
      }
    })
  })
}

/** Returns msg with its 2-byte TCP length prefix. */
export function frame(msg: Buffer): Buffer {
  const len = Buffer.alloc(2)
  len.writeUInt16BE(msg.length)
  return Buffer.concat([len, msg])
}

/** Returns Node's own (c-ares) resolver pointed at 127.0.0.1:port. */
export function resolverFor(port: number): dnsPromises.Resolver {
  const r = new dnsPromises.Resolver({ timeout: 3_000, tries: 1 })
  r.setServers([`127.0.0.1:${port}`])
  return r
}
