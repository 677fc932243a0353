// engine: everything that talks to a node's Docker engine. An EngineRef's URL
// (unix://, tcp:// plain or TLS, ssh://) becomes a dockerode client
// (connect.ts); ssh:// engines share one SSH connection each. The pool keeps one
// connection per node (pool.ts), beside the engine record the store keeps
// (record.ts). Every call has a deadline and typed errors (call.ts, errors.ts);
// raw HTTP, hijacked requests included, goes through http.ts. probe/ping, exec
// and image import are here too. dockerode and ssh2 load lazily, on the first
// connectEngine, so importing this folder stays cheap.

export * from './address.js'
export * from './connect.js'
export * from './probe.js'
export * from './call.js'
export * from './errors.js'
export * from './pool.js'
export * from './record.js'
export { SshTunnel, SshAgent, type SshTunnelOptions } from './ssh.js'
export { engineRequestOptions, type EngineRequestOptions } from './raw.js'
