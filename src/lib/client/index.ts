export { ManagerClient, ApiError, ConnectError, type ClientTls, type RequestOptions } from './client.js'
export { clientFor, parseManagerHost } from './connect.js'
