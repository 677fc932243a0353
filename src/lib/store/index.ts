export * from './store.js'
export { SqliteStore } from './sqlite.js'
export { Reactor, type ReactorOptions } from './reactor.js'
