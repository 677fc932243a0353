// executor: how a task becomes a container on one engine and back. A
// TaskRunner per engine pulls, creates and starts (a bounded number at a time),
// inspects, lists, stops and removes task containers, follows their events and
// reads their logs; containerConfig maps a task to the container create body.
// Its engine calls go through engine/ (call.ts: deadline and typed errors).

export * from './labels.js'
export * from './container-config.js'
export * from './limiter.js'
export * from './lines.js'
export * from './events.js'
export * from './logs.js'
export * from './runner.js'
