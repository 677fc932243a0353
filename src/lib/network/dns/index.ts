// dns: the manager's resolver for service discovery on overlay networks.
// wire.ts is the RFC 1035 message format; server.ts the UDP/TCP server that
// answers swarm names and forwards the rest upstream.
export { startDnsServer, parseUpstream, resolvConfUpstreams, type DnsServer, type DnsServerOptions, type Upstream } from './server.js'
export {
  answerAddresses,
  buildQuery,
  buildResponse,
  parseQuery,
  readHeader,
  readName,
  udpLimit,
  DnsFormatError,
  Rcode,
  CLASS_IN,
  TYPE_A,
  TYPE_AAAA,
  type DnsQuery,
  type DnsQuestion,
  type QueryOptions,
  type ResponseOptions,
} from './wire.js'
