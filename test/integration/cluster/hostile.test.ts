// Hostile and mistaken clients against a running manager on the lab: bodies
// too large or endless (on the open /tsw/join too), headers and handshakes that
// never finish, published ports and network options that would break or
// hijack the nodes' host scripts, absurd replica counts, DNS queries from
// outside the swarm, and a remote leave of the last copy of the state. Each is
// refused with a clear error; meanwhile other clients keep being served (GET
// /nodes, as node ls asks, never waits a second) and afterwards the swarm's
// state and its containers are what they were.
import { request } from 'node:https'
import { readFileSync, writeFileSync } from 'node:fs'
import { connect as tlsConnect } from 'node:tls'
import { connect as tcpConnect } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GATEWAY, LabSwarm, run, tempDir, waitFor } from '../../helpers/lab.js'

const IMG = '10.213.0.1:5000/busybox:1'
const WEB = ['sh', '-c', 'mkdir -p /www; hostname > /www/index.html; exec httpd -f -p 80 -h /www']

describe('hostile input to a running manager', () => {
  const swarm = new LabSwarm(2399)
  const tsw = (...args: string[]) => swarm.tsw(1, ...args)
  const tls = (f: string) => readFileSync(join(swarm.dir(1), 'tls', f), 'utf8')

  // What a user sees of the swarm: services and networks as stored, tasks, and the engines' containers.
  const snapshot = async () => {
    const services = (await swarm.api('GET', '/v1.41/services')).json as Array<{ ID: string }>
    const networks = (await swarm.api('GET', '/v1.41/networks')).json as Array<{ Id: string }>
    const tasks = ((await swarm.api('GET', '/v1.41/tasks')).json as Array<{ ID: string; Status: { State: string }; DesiredState: string }>)
      .map((t) => `${t.ID} ${t.DesiredState} ${t.Status.State}`).sort()
    const containers = await Promise.all([1, 2].map((i) => swarm.containers(i)))
    return {
      services: [...services].sort((a, b) => a.ID.localeCompare(b.ID)),
      networks: [...networks].sort((a, b) => a.Id.localeCompare(b.Id)),
      tasks,
      containers: containers.map((c) => [...c].sort()),
    }
  }
  let before: Awaited<ReturnType<typeof snapshot>>

  // GET /nodes in a loop (what node ls asks) while the hostile clients run: the longest wait is recorded.
  let probing = true
  let slowestMs = 0
  let probes = 0
  let probeFailures = 0
  let probeLoop: Promise<void> = Promise.resolve()

  beforeAll(async () => {
    expect((await swarm.init(['--dispatcher-heartbeat', '1s'])).code).toBe(0)
    expect((await swarm.join(2)).code).toBe(0)
    expect((await tsw('network', 'create', '-d', 'overlay', '--subnet', '10.77.0.0/24', 'app')).code).toBe(0)
    expect((await tsw('service', 'create', '-d', '--name', 'web', '--network', 'app', '--replicas', '2', '-p', '8080:80',
      '--stop-grace-period', '1s', IMG, ...WEB)).code).toBe(0)
    try {
      await waitFor(async () => (await swarm.running('web', [1, 2])).reduce((a, b) => a + b, 0) === 2, 90_000, 'web running')
    } catch (err) {
      // What went wrong, for whoever reads the failure.
      const ps = await tsw('service', 'ps', '--no-trunc', 'web')
      const log = readFileSync(join(swarm.dir(1), 'manager', 'manager.log'), 'utf8').split('\n').slice(-40).join('\n')
      throw new Error(`${(err as Error).message}\n${ps.stdout}${ps.stderr}\n${log}`)
    }
    before = await snapshot()
    probeLoop = (async () => {
      while (probing) {
        const started = Date.now()
        const r = await swarm.api('GET', '/v1.41/nodes').catch(() => undefined)
        if (r?.status !== 200) probeFailures++
        slowestMs = Math.max(slowestMs, Date.now() - started)
        probes++
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    })()
  }, 180_000)
  afterAll(async () => {
    probing = false
    await probeLoop
    await swarm.destroy()
  }, 120_000)

  /** POSTs a chunked body that never ends (64 KiB chunks) until the manager answers or hangs up. */
  const endless = (path: string, withCert: boolean) => new Promise<{ status: number; message?: string; sentBytes: number; ms: number }>((resolve) => {
    const started = Date.now()
    let sent = 0
    let done = false
    const finish = (status: number, message?: string) => {
      if (done) return
      done = true
      resolve({ status, message, sentBytes: sent, ms: Date.now() - started })
    }
    const req = request({
      host: GATEWAY, port: swarm.port, method: 'POST', path, ca: tls('ca.pem'),
      ...(withCert ? { cert: tls('cert.pem'), key: tls('key.pem') } : {}),
      headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
    }, (res) => {
      let text = ''
      res.on('data', (c) => (text += c))
      res.on('end', () => finish(res.statusCode ?? 0, text ? JSON.parse(text).message : undefined))
      res.on('error', () => finish(res.statusCode ?? 0))
    })
    req.on('error', () => finish(0))
    const chunk = Buffer.alloc(64 << 10, 0x20)
    const pump = () => {
      while (!done && !req.destroyed && Date.now() - started < 60_000) {
        sent += chunk.length
        if (!req.write(chunk)) return void req.once('drain', pump)
      }
    }
    req.write('{"Name": "')
    pump()
  })

  /** One DNS query for `name` to the manager's resolver (GATEWAY:53) from this namespace, or from lab host `ns`'s. */
  const dnsQuery = async (name: string, ns?: number): Promise<{ rcode: number; answers: number } | undefined> => {
    const script = join(tempDir('dnsq'), 'q.mjs')
    writeFileSync(script, `
      import dgram from 'node:dgram'
      const labels = ${JSON.stringify(name)}.split('.')
      const q = Buffer.concat([Buffer.from([0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]),
        ...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])), Buffer.from([0, 0, 1, 0, 1])])
      const s = dgram.createSocket('udp4')
      const t = setTimeout(() => { console.log('none'); s.close() }, 3000)
      s.on('message', (m) => { clearTimeout(t); console.log(JSON.stringify({ rcode: m[3] & 15, answers: m.readUInt16BE(6) })); s.close() })
      s.send(q, 53, ${JSON.stringify(GATEWAY)})
    `)
    const r = ns === undefined ? await run(process.execPath, [script]) : await run('nsenter', [`--net=/var/run/netns/tswn${ns}`, process.execPath, script])
    expect(r.stderr).toBe('')
    const out = r.stdout.trim()
    return out && out !== 'none' ? JSON.parse(out) : undefined
  }

  it('refuses a body past the cap, declared or endless, with 413, also on the open /tsw/join', async () => {
    const big = await swarm.api('POST', '/v1.41/services/create', { Name: 'x'.repeat(5 << 20) })
    expect(big.status).toBe(413)
    expect(big.json.message).toBe('http: request body too large (at most 4 MiB on this route)')
    const [open, closed] = await Promise.all([endless('/tsw/join', false), endless('/v1.41/services/create', true)])
    expect(open).toMatchObject({ status: 413, message: 'http: request body too large (at most 64 KiB on this route)' })
    expect(open.sentBytes).toBeLessThan(16 << 20) // cut off early, not after the client gave up
    expect(closed).toMatchObject({ status: 413, message: 'http: request body too large (at most 4 MiB on this route)' })
    expect(closed.ms).toBeLessThan(30_000)
  }, 90_000)

  it('closes connections whose TLS handshake or headers never finish', async () => {
    // A TCP connection that never says anything: closed after the 10 s handshake timeout.
    const silent = await new Promise<number>((resolve) => {
      const started = Date.now()
      const s = tcpConnect(swarm.port, GATEWAY)
      s.on('error', () => undefined)
      s.on('close', () => resolve(Date.now() - started))
    })
    expect(silent).toBeGreaterThan(9_000)
    expect(silent).toBeLessThan(15_000)
    // A request whose headers come one byte a second: answered 408 and closed after the 10 s headers timeout.
    const slow = await new Promise<{ ms: number; answer: string }>((resolve) => {
      const started = Date.now()
      const s = tlsConnect({ host: GATEWAY, port: swarm.port, ca: tls('ca.pem'), cert: tls('cert.pem'), key: tls('key.pem'), checkServerIdentity: () => undefined })
      let answer = ''
      let timer: NodeJS.Timeout | undefined
      s.on('secureConnect', () => {
        s.write('GET /v1.41/nodes HTTP/1.1\r\nHost: manager\r\n')
        timer = setInterval(() => s.writable && s.write('X'), 1000)
      })
      s.on('data', (c) => (answer += c))
      s.on('error', () => undefined)
      s.on('close', () => {
        clearInterval(timer)
        resolve({ ms: Date.now() - started, answer })
      })
    })
    expect(slow.ms).toBeGreaterThan(9_000)
    expect(slow.ms).toBeLessThan(15_000)
    expect(slow.answer).toMatch(/^HTTP\/1\.1 408 /)
  }, 60_000)

  it('refuses published ports that would break or hijack the host scripts, naming the field', async () => {
    const create = (port: Record<string, unknown>) => swarm.api('POST', '/v1.41/services/create', {
      Name: 'evil', TaskTemplate: { ContainerSpec: { Image: IMG } }, EndpointSpec: { Ports: [{ TargetPort: 80, PublishedPort: 9090, ...port }] },
    })
    const injected = await create({ Protocol: 'tcp\nTSW_RULES\ntouch /tmp/owned\n' })
    expect(injected.status).toBe(400)
    expect(injected.json.message).toBe('EndpointSpec: invalid protocol "tcp\\nTSW_RULES\\ntouch /tmp/owned\\n" for port 80: use tcp, udp or sctp')
    const typo = await create({ Protocol: 'http' })
    expect(typo.json.message).toBe('EndpointSpec: invalid protocol "http" for port 80: use tcp, udp or sctp')
    const far = await create({ PublishedPort: 70000 })
    expect(far.status).toBe(400)
    expect(far.json.message).toContain('EndpointSpec: invalid published port 70000')
    const mode = await create({ PublishMode: 'mesh' })
    expect(mode.json.message).toBe('EndpointSpec: invalid publish mode "mesh" for port 80: use ingress or host')
    // The same on update of a running service.
    const web = (await swarm.api('GET', '/v1.41/services/web')).json as { Version: { Index: number }; Spec: { EndpointSpec: { Ports: object[] } } }
    const spec = structuredClone(web.Spec)
    spec.EndpointSpec.Ports = [{ TargetPort: 80, PublishedPort: 8080, Protocol: 'udp\n*filter\n-A INPUT -j DROP' }]
    const upd = await swarm.api('POST', `/v1.41/services/web/update?version=${web.Version.Index}`, spec)
    expect(upd.status).toBe(400)
    expect(upd.json.message).toContain('EndpointSpec: invalid protocol "udp\\n*filter')
  })

  it('refuses network options out of range or malformed', async () => {
    const create = (body: Record<string, unknown>) => swarm.api('POST', '/v1.41/networks/create', { Name: 'evilnet', Driver: 'overlay', ...body })
    const mtu = await create({ Options: { 'com.docker.network.driver.mtu': '70000' } })
    expect(mtu.status).toBe(400)
    expect(mtu.json.message).toBe('invalid MTU number: "70000": com.docker.network.driver.mtu takes a whole number from 68 to 65535')
    const cli = await tsw('network', 'create', '-d', 'overlay', '--opt', 'com.docker.network.driver.mtu=abc', 'evilnet')
    expect(cli.code).toBe(1)
    expect(cli.stderr).toContain('invalid MTU number: "abc"')
    const subnet = await create({ IPAM: { Config: [{ Subnet: '10.78.0.0/24\nreboot' }] } })
    expect(subnet.json.message).toBe('IPAM: invalid Subnet "10.78.0.0/24\\nreboot": expected an IPv4 CIDR such as 10.1.0.0/24')
    const gateway = await create({ IPAM: { Config: [{ Subnet: '10.78.0.0/24', Gateway: '10.78.0.999' }] } })
    expect(gateway.json.message).toBe('invalid IPv4 address: 10.78.0.999')
    const option = await create({ Options: { 'x\ny': '1' } })
    expect(option.json.message).toBe('network option "x\\ny"="1": control characters (such as a newline) are not allowed')
    expect((await tsw('network', 'ls', '--filter', 'name=evilnet', '-q')).stdout).toBe('')
  })

  it('refuses absurd replica counts with the cap in the message', async () => {
    const scale = await tsw('service', 'scale', 'web=1000000000')
    expect(scale.code).toBe(1)
    expect(scale.stderr).toContain('Mode: 1000000000 replicas is more than the 100000 a service may have')
    const create = await swarm.api('POST', '/v1.41/services/create', { Name: 'huge', TaskTemplate: { ContainerSpec: { Image: IMG } }, Mode: { Replicated: { Replicas: 1e9 } } })
    expect(create.status).toBe(400)
    expect(create.json.message).toContain('is more than the 100000 a service may have')
  })

  it('answers DNS from the swarm\'s tasks only: REFUSED from the gateway and from a lab host that is no node', async () => {
    // A task on the overlay resolves the service's tasks through the manager.
    const [container] = await swarm.containers(1, 'web')
    const inside = await swarm.dockerOn(1, 'exec', container, 'nslookup', 'tasks.web')
    expect(inside.stdout).toMatch(/10\.77\.0\.\d+/)
    // Outsiders: the lab gateway (the manager's own address, not a node's data path) and node03 (not in the swarm).
    for (const ns of [undefined, 3]) {
      for (const name of ['tasks.web', 'example.com']) {
        expect(await dnsQuery(name, ns), `${name} from ${ns ?? 'the gateway'}`).toEqual({ rcode: 5, answers: 0 })
      }
    }
    // node02 is a node: answered.
    expect(await dnsQuery('tasks.web', 2)).toEqual({ rcode: 0, answers: 2 })
  })

  it('refuses a remote leave that would erase the only copy of the swarm', async () => {
    const r = await swarm.api('POST', '/v1.41/swarm/leave?force=1')
    expect(r.status).toBe(503)
    expect(r.json.message).toBe('This manager holds the only copy of the swarm\'s state (a SQLite store): leaving would erase the swarm, and a request to the API cannot do that. To erase it, run `tsw swarm leave --force` on the manager\'s host.')
    const d = await run('docker', ['swarm', 'leave', '--force'], swarm.dockerEnv(1))
    expect(d.code).toBe(1)
    expect(d.stderr).toContain('holds the only copy of the swarm')
    expect(readFileSync(join(swarm.dir(1), 'manager', 'config.json'), 'utf8')).toContain(swarm.clusterId())
    expect((await tsw('node', 'ls', '-q')).stdout.trim().split('\n')).toHaveLength(2)
  })

  it('matches client regexes in linear time: a pathological name filter answers at once', async () => {
    // (a+)+$ against 40 a's and a b: about 2^40 steps for a backtracking engine, linear on RE2.
    const name = 'a'.repeat(40) + 'b'
    expect((await swarm.tsw(1, 'network', 'create', '--driver', 'overlay', name)).code).toBe(0)
    const started = Date.now()
    const r = await swarm.api('GET', `/v1.41/networks?filters=${encodeURIComponent(JSON.stringify({ name: { '(a+)+$': true, 'a{40}b$': true } }))}`)
    expect(Date.now() - started).toBeLessThan(2000)
    expect(r.status).toBe(200)
    expect((r.json as { Name: string }[]).map((n) => n.Name)).toEqual([name])
    expect((await swarm.tsw(1, 'network', 'rm', name)).code).toBe(0)
  })

  it('kept serving others meanwhile, and changed nothing', async () => {
    probing = false
    await probeLoop
    expect(probes).toBeGreaterThan(50)
    expect(probeFailures).toBe(0)
    expect(slowestMs).toBeLessThan(1000)
    expect(await snapshot()).toEqual(before)
    // The routing mesh still works: iptables-restore was never fed a bad rule.
    const answer = await run('sh', ['-c', `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | timeout 4 busybox nc -w 2 10.213.0.12 8080 | tail -1`])
    expect(answer.stdout.trim()).toMatch(/^[0-9a-f]{12}$/)
  })
})
