export * from './paths.js'
export * from './files.js'
export * from './context.js'
export * from './manager-config.js'
