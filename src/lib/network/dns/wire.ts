// DNS wire format (RFC 1035, EDNS from RFC 6891), only as much as the swarm's
// service-discovery server needs: parse a query, build an answer of A records
// or a bare response code. Parsing is strict: anything malformed throws
// DnsFormatError and the server drops it.
import { isIPv4 } from 'node:net'

export const TYPE_A = 1
export const TYPE_AAAA = 28
export const TYPE_OPT = 41
export const CLASS_IN = 1

/** Response codes the server sends. */
export const Rcode = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const

export const HEADER_SIZE = 12
/** Largest UDP answer to a client that did not send EDNS (RFC 1035 4.2.1). */
export const UDP_MAX = 512
/** What we advertise in our own OPT record, and the cap on what a client may ask for. */
export const EDNS_MAX = 1232
const MAX_MESSAGE = 65_535
const MAX_NAME = 255
const A_RECORD_SIZE = 16 // pointer 2, type 2, class 2, ttl 4, rdlength 2, address 4
const OPT_RECORD_SIZE = 11

const QR = 0x8000
const AA = 0x0400
const TC = 0x0200
const RD = 0x0100
const RA = 0x0080

/** A packet that is not a well-formed DNS query. */
export class DnsFormatError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'DnsFormatError'
  }
}

export interface DnsQuestion {
  /** Labels as sent, case preserved (echoed back, so resolvers using 0x20 case randomisation match). */
  labels: Buffer[]
  /** Lower-cased dotted name without trailing dot; bytes outside [a-z0-9-_] and '.' inside a label are escaped as \DDD. */
  name: string
  type: number
  class: number
}

export interface DnsQuery {
  id: number
  /** Header flags as sent. */
  flags: number
  opcode: number
  rd: boolean
  question: DnsQuestion
  /** Present when the query carries an OPT record. */
  edns?: { udpSize: number; version: number }
}

/** Reads a possibly compressed name at offset; returns its labels and where the name ends in msg. Throws DnsFormatError. */
export function readName(msg: Buffer, offset: number): { labels: Buffer[]; end: number } {
  const labels: Buffer[] = []
  let pos = offset
  // Pointers must go strictly backwards from the run they interrupt, so a
  // chain of them always ends: no loops, however crafted.
  let runStart = offset
  let end = -1
  let size = 1
  for (;;) {
    if (pos >= msg.length) throw new DnsFormatError('name runs past the end of the message')
    const len = msg[pos]
    if ((len & 0xc0) === 0xc0) {
      if (pos + 1 >= msg.length) throw new DnsFormatError('truncated compression pointer')
      const target = ((len & 0x3f) << 8) | msg[pos + 1]
      if (target >= runStart || target < HEADER_SIZE) throw new DnsFormatError(`bad compression pointer to ${target}`)
      if (end < 0) end = pos + 2
      pos = runStart = target
      continue
    }
    if (len & 0xc0) throw new DnsFormatError(`unsupported label type 0x${(len & 0xc0).toString(16)}`)
    if (len === 0) break
    if (pos + 1 + len > msg.length) throw new DnsFormatError('label runs past the end of the message')
    size += len + 1
    if (size > MAX_NAME) throw new DnsFormatError('name longer than 255 bytes')
    labels.push(msg.subarray(pos + 1, pos + 1 + len))
    pos += 1 + len
  }
  return { labels, end: end < 0 ? pos + 1 : end }
}

/** Returns the lookup form of labels: lower-case, dot-separated, no trailing dot, odd bytes escaped. */
export function nameOf(labels: Buffer[]): string {
  return labels.map(labelText).join('.')
}

function labelText(label: Buffer): string {
  let s = ''
  for (const b of label) {
    const c = b >= 0x41 && b <= 0x5a ? b + 0x20 : b // ASCII lower-case only
    const plain = (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x5f
    s += plain ? String.fromCharCode(c) : `\\${c.toString().padStart(3, '0')}`
  }
  return s
}

/** Parses a query. Throws DnsFormatError for responses, anything but exactly one question, and malformed records. */
export function parseQuery(msg: Buffer): DnsQuery {
  if (msg.length < HEADER_SIZE) throw new DnsFormatError('shorter than a DNS header')
  const id = msg.readUInt16BE(0)
  const flags = msg.readUInt16BE(2)
  if (flags & QR) throw new DnsFormatError('not a query')
  const [qd, an, ns, ar] = [4, 6, 8, 10].map((o) => msg.readUInt16BE(o))
  if (qd !== 1) throw new DnsFormatError(`${qd} questions`)
  const { labels, end } = readName(msg, HEADER_SIZE)
  if (end + 4 > msg.length) throw new DnsFormatError('truncated question')
  const question = { labels, name: nameOf(labels), type: msg.readUInt16BE(end), class: msg.readUInt16BE(end + 2) }
  let pos = end + 4
  let edns: DnsQuery['edns']
  for (let i = 0; i < an + ns + ar; i++) {
    const rr = readRecord(msg, pos)
    if (i >= an + ns && rr.type === TYPE_OPT) {
      if (edns || rr.labels.length > 0) throw new DnsFormatError('bad OPT record')
      edns = { udpSize: rr.class, version: (rr.ttl >>> 16) & 0xff }
    }
    pos = rr.next
  }
  return { id, flags, opcode: (flags >> 11) & 0xf, rd: (flags & RD) !== 0, question, edns }
}

interface ResourceRecord {
  labels: Buffer[]
  type: number
  class: number
  ttl: number
  data: Buffer
  next: number
}

function readRecord(msg: Buffer, offset: number): ResourceRecord {
  const { labels, end } = readName(msg, offset)
  if (end + 10 > msg.length) throw new DnsFormatError('truncated record')
  const next = end + 10 + msg.readUInt16BE(end + 8)
  if (next > msg.length) throw new DnsFormatError('record data runs past the end of the message')
  const data = msg.subarray(end + 10, next)
  return { labels, type: msg.readUInt16BE(end), class: msg.readUInt16BE(end + 2), ttl: msg.readUInt32BE(end + 4), data, next }
}

/** Returns the largest UDP answer the client accepts: 512, or its EDNS size capped at EDNS_MAX. */
export function udpLimit(q: DnsQuery): number {
  return q.edns ? Math.min(Math.max(q.edns.udpSize, UDP_MAX), EDNS_MAX) : UDP_MAX
}

export interface ResponseOptions {
  rcode?: number
  /** IPv4 addresses to answer with as A records for the question's name, in this order. */
  addresses?: string[]
  ttl?: number
  authoritative?: boolean
  /** Largest message to build; A records that do not fit are left out and TC is set. Default 65535. */
  maxSize?: number
  /** Sets TC whatever fits (an upstream answer too large for the client's UDP size: it asks again over TCP). */
  truncated?: boolean
}

/** Builds the response to q: the question echoed, RD copied, RA set, an OPT record when q had one. Throws on a non-IPv4 address. */
export function buildResponse(q: DnsQuery, opts: ResponseOptions = {}): Buffer {
  const question = encodeQuestion(q.question)
  const optSize = q.edns ? OPT_RECORD_SIZE : 0
  const addresses = opts.addresses ?? []
  const room = (opts.maxSize ?? MAX_MESSAGE) - HEADER_SIZE - question.length - optSize
  const count = Math.min(addresses.length, Math.max(0, Math.floor(room / A_RECORD_SIZE)))
  const truncated = !!opts.truncated || count < addresses.length

  const out = Buffer.alloc(HEADER_SIZE + question.length + count * A_RECORD_SIZE + optSize)
  out.writeUInt16BE(q.id, 0)
  const flags = QR | (q.opcode << 11) | (opts.authoritative ? AA : 0) | (truncated ? TC : 0) | (q.rd ? RD : 0) | RA | ((opts.rcode ?? 0) & 0xf)
  out.writeUInt16BE(flags, 2)
  out.writeUInt16BE(1, 4)
  out.writeUInt16BE(count, 6)
  out.writeUInt16BE(q.edns ? 1 : 0, 10)
  question.copy(out, HEADER_SIZE)
  let pos = HEADER_SIZE + question.length
  for (const address of addresses.slice(0, count)) {
    if (!isIPv4(address)) throw new Error(`not an IPv4 address: ${address}`)
    out.writeUInt16BE(0xc000 | HEADER_SIZE, pos) // the question's name
    out.writeUInt16BE(TYPE_A, pos + 2)
    out.writeUInt16BE(CLASS_IN, pos + 4)
    out.writeUInt32BE(opts.ttl ?? 0, pos + 6)
    out.writeUInt16BE(4, pos + 10)
    address.split('.').forEach((octet, i) => out.writeUInt8(Number(octet), pos + 12 + i))
    pos += A_RECORD_SIZE
  }
  if (q.edns) {
    // Root name (the zero byte already there), type OPT, class = our UDP size, ttl/rdlength 0.
    out.writeUInt16BE(TYPE_OPT, pos + 1)
    out.writeUInt16BE(EDNS_MAX, pos + 3)
  }
  return out
}

function encodeQuestion(q: DnsQuestion): Buffer {
  const parts: Buffer[] = []
  for (const label of q.labels) parts.push(Buffer.from([label.length]), label)
  const tail = Buffer.alloc(5)
  tail.writeUInt16BE(q.type, 1)
  tail.writeUInt16BE(q.class, 3)
  return Buffer.concat([...parts, tail])
}

export interface QueryOptions {
  id?: number
  rd?: boolean
  /** Adds an OPT record advertising this UDP size. */
  ednsUdpSize?: number
}

/** Builds a query for name (dotted, trailing dot optional); used for tests and probes. Throws DnsFormatError on a bad name. */
export function buildQuery(name: string, type: number, opts: QueryOptions = {}): Buffer {
  const labels = name.replace(/\.$/, '').split('.').filter((l) => l !== '').map((l) => Buffer.from(l, 'latin1'))
  if (labels.some((l) => l.length > 63)) throw new DnsFormatError('label longer than 63 bytes')
  const q: DnsQuery = {
    id: opts.id ?? 0,
    flags: 0,
    opcode: 0,
    rd: opts.rd ?? true,
    question: { labels, name: nameOf(labels), type, class: CLASS_IN },
    edns: opts.ednsUdpSize === undefined ? undefined : { udpSize: opts.ednsUdpSize, version: 0 },
  }
  const question = encodeQuestion(q.question)
  if (question.length - 4 > MAX_NAME) throw new DnsFormatError('name longer than 255 bytes')
  const out = Buffer.alloc(HEADER_SIZE + question.length + (q.edns ? OPT_RECORD_SIZE : 0))
  out.writeUInt16BE(q.id, 0)
  out.writeUInt16BE(q.rd ? RD : 0, 2)
  out.writeUInt16BE(1, 4)
  question.copy(out, HEADER_SIZE)
  if (q.edns) {
    out.writeUInt16BE(1, 10)
    out.writeUInt16BE(TYPE_OPT, HEADER_SIZE + question.length + 1)
    out.writeUInt16BE(q.edns.udpSize, HEADER_SIZE + question.length + 3)
  }
  return out
}

/** Returns the header fields of a message (for relaying and tests). Throws DnsFormatError when shorter than a header. */
export function readHeader(msg: Buffer): { id: number; qr: boolean; tc: boolean; rd: boolean; ra: boolean; aa: boolean; rcode: number; counts: number[] } {
  if (msg.length < HEADER_SIZE) throw new DnsFormatError('shorter than a DNS header')
  const flags = msg.readUInt16BE(2)
  return {
    id: msg.readUInt16BE(0),
    qr: (flags & QR) !== 0,
    tc: (flags & TC) !== 0,
    rd: (flags & RD) !== 0,
    ra: (flags & RA) !== 0,
    aa: (flags & AA) !== 0,
    rcode: flags & 0xf,
    counts: [4, 6, 8, 10].map((o) => msg.readUInt16BE(o)),
  }
}

/** Returns the IPv4 addresses of the A records in the answer section of a response (for tests and probes). Throws DnsFormatError. */
export function answerAddresses(msg: Buffer): string[] {
  const { counts } = readHeader(msg)
  let pos = HEADER_SIZE
  for (let i = 0; i < counts[0]; i++) {
    const { end } = readName(msg, pos)
    pos = end + 4
  }
  const out: string[] = []
  for (let i = 0; i < counts[1]; i++) {
    const rr = readRecord(msg, pos)
    if (rr.type === TYPE_A && rr.data.length === 4) out.push([...rr.data].join('.'))
    pos = rr.next
  }
  return out
}
