export * from './store.js'
export { SqliteStore } from './sqlite.js'
