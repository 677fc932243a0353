// Secrets and configs: the objects (objects.ts), their sealing at rest (seal.ts)
// and services' references to them (refs.ts).
export * from './kinds.js'
export * from './objects.js'
export * from './seal.js'
export * from './refs.js'
