// What placement reads of an engine: its containers, without tsw's own
// network helpers (an engine with more of them must not look fuller).
import { createServer, type Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { engineContainers, ResourceCache } from '../../../src/lib/classic/state.js'
import { connectEngine } from '../../../src/lib/engine/index.js'

describe('engineContainers', () => {
  let server: Server
  let port = 0
  beforeAll(async () => {
    server = createServer((req, res) => {
      res.setHeader('Content-Type', 'application/json')
      if (req.url?.includes('/containers/json')) {
        return res.end(JSON.stringify([
          { Id: 'h1', Names: ['/tsw-net-aaaa'], Image: 'tsw-net:1', State: 'exited', Labels: { 'io.tsw.network.helper': 'aaaa' } },
          { Id: 'h2', Names: ['/tsw-net-bbbb'], Image: 'tsw-net:1', State: 'exited', Labels: { 'io.tsw.network.helper': 'bbbb' } },
          { Id: 'u1', Names: ['/web'], Image: 'nginx', State: 'exited', Labels: {} },
          { Id: 't1', Names: ['/web.1.x'], Image: 'nginx', State: 'exited', Labels: { 'io.tsw.cluster.id': 'c', 'com.docker.swarm.task.id': 'x' } },
        ]))
      }
      res.statusCode = 404
      res.end('{"message":"no"}')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
    port = (server.address() as { port: number }).port
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  it('counts the user\'s containers and tasks, never the network helpers', async () => {
    const conn = await connectEngine({ URL: `tcp://127.0.0.1:${port}` })
    try {
      const list = await engineContainers(conn, new ResourceCache())
      expect(list.map((c) => c.id)).toEqual(['u1', 't1'])
    } finally {
      conn.close()
    }
  })
})
