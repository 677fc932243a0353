import { readFileSync } from 'node:fs'
import { connectEngine } from '../../../src/lib/engine/index.js'
const key = readFileSync('/var/lib/tsw-lab/ssh/id_ed25519', 'utf8')
for (const url of ['ssh://root@10.213.0.1:2022?socket=/var/lib/tsw-lab/node02/docker.sock', 'unix:///var/lib/tsw-lab/node02/docker.sock', 'tcp://10.213.0.12:2375']) {
  const conn = await connectEngine({ URL: url, SSHKey: key })
  await conn.docker.version()
  for (let r = 0; r < 3; r++) {
    const t = performance.now()
    for (let i = 0; i < 20; i++) await conn.docker.version()
    console.log(url.slice(0, 5), Math.round(performance.now() - t), 'ms')
  }
  conn.close()
}
