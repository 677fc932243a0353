// The HTTP agents of tcp:// engines: connections kept alive with no idle
// timeout (dockerd keeps an idle connection as long as the client does). Node's
// global agent closes a socket idle for 5 s, so with thousands of engines each
// swept every few seconds and pinged every heartbeat, most calls paid a new TCP
// (or TLS) connection.
import http from 'node:http'
import https from 'node:https'

/** Kept-alive agents for plain and TLS engines, shared by dockerode's calls and the heartbeats' pings. */
export const engineAgents = {
  http: new http.Agent({ keepAlive: true, maxFreeSockets: 2 }),
  https: new https.Agent({ keepAlive: true, maxFreeSockets: 2 }),
}
