export { Dispatcher, type DispatcherOptions } from './dispatcher.js'
export { Heartbeat, MISSES_TO_DOWN } from './heartbeat.js'
