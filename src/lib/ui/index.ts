// The live cluster page (nodes as columns, tasks as cards) on the observability address.
export { pageHandler, type PageOptions } from './handler.js'
export { pageToken, tokenMatches } from './token.js'
export { snapshot, type Snapshot } from './snapshot.js'
