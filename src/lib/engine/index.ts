// engine: how the manager reaches a node's Docker engine. An EngineRef's URL
// (unix://, tcp:// plain or TLS, ssh://) becomes a dockerode client; ssh://
// engines share one SSH connection each. probe/ping ask the engine with a deadline
// and turn every failure into UnavailableError. dockerode and ssh2 load lazily,
// on the first connectEngine, so importing this folder stays cheap.

export * from './address.js'
export * from './connect.js'
export * from './probe.js'
export { SshTunnel, SshAgent, type SshTunnelOptions } from './ssh.js'
export { engineRequestOptions, type EngineRequestOptions } from './raw.js'
