// SIMULATION. One hollow engine's state, in memory: containers, images,
// networks, execs and the event history. No process runs, no namespace, no
// image layer: containers are records whose state changes on a timer. It exists
// to load the manager with thousands of "hosts" (bench/scale.sh); every claim
// that tsw works is made on real engines (test/integration), never on these.
import { randomBytes } from 'node:crypto'

const hex = (n) => randomBytes(n).toString('hex')

/** "busybox" → "busybox:latest", "docker.io/library/busybox:1" → "busybox:1"; a digest or tag is kept. */
export function imageRef(name) {
  name = name.replace(/^(?:index\.)?docker\.io\/(?:library\/)?/, '')
  const at = name.indexOf('@')
  if (at >= 0) return name
  const slash = name.lastIndexOf('/')
  return name.slice(slash + 1).includes(':') ? name : `${name}:latest`
}

/** Docker's "Up 3 seconds" / "Exited (0) 2 seconds ago" / "Created". */
function statusText(c, now) {
  const ago = (t) => {
    const s = Math.max(1, Math.round((now - t) / 1000))
    return s < 60 ? `${s} seconds` : `${Math.round(s / 60)} minutes`
  }
  if (c.state === 'running') return `Up ${ago(c.startedAt)}`
  if (c.state === 'exited') return `Exited (${c.exitCode}) ${ago(c.finishedAt)} ago`
  return c.state === 'created' ? 'Created' : c.state
}

const iso = (t) => (t ? new Date(t).toISOString() : '0001-01-01T00:00:00Z')

/** Does a container's label set match docker's label filters ("k" or "k=v", all of them)? */
export function labelsMatch(labels, wanted) {
  for (const w of wanted ?? []) {
    const eq = w.indexOf('=')
    if (eq < 0) { if (!(w in labels)) return false } else if (labels[w.slice(0, eq)] !== w.slice(eq + 1)) return false
  }
  return true
}

/** One simulated engine. `opts`: { index, addr, startMs, startJitterMs, exitAfterMs, exitCode, ncpu, memTotal }. */
export class HollowEngine {
  constructor(opts) {
    this.opts = opts
    this.id = `HOLLOW:${hex(6).toUpperCase()}:${opts.index}`
    this.hostname = `hollow${String(opts.index).padStart(5, '0')}`
    this.containers = new Map() // id → container
    this.names = new Map() // name → id
    this.images = new Map() // ref → { Id, RepoTags, Created, Size }
    this.networks = new Map()
    this.execs = new Map()
    this.history = [] // recent events, for ?since=
    this.watchers = new Set() // { filters, write(line) }
    this.timers = new Set()
    this.stats = { requests: 0, execs: 0, starts: 0 }
  }

  info() {
    const running = [...this.containers.values()].filter((c) => c.state === 'running').length
    return {
      ID: this.id, Name: this.hostname, OSType: 'linux', OperatingSystem: 'Hollow (simulated engine)',
      Architecture: 'x86_64', NCPU: this.opts.ncpu, MemTotal: this.opts.memTotal, ServerVersion: '28.2.2',
      KernelVersion: '6.1.0-hollow', Labels: [`io.tsw.hollow=${this.opts.index}`], Driver: 'overlay2',
      Containers: this.containers.size, ContainersRunning: running, ContainersStopped: this.containers.size - running,
      ContainersPaused: 0, Images: this.images.size, Swarm: { LocalNodeState: 'inactive' },
    }
  }

  version() {
    return { Version: '28.2.2', ApiVersion: '1.50', MinAPIVersion: '1.24', Os: 'linux', Arch: 'amd64', KernelVersion: '6.1.0-hollow', Components: [] }
  }

  /** The container by ID, ID prefix or name. */
  find(ref) {
    const name = ref.replace(/^\//, '')
    const byName = this.names.get(name)
    if (byName) return this.containers.get(byName)
    if (this.containers.has(ref)) return this.containers.get(ref)
    if (ref.length >= 4) for (const [id, c] of this.containers) if (id.startsWith(ref)) return c
    return undefined
  }

  create(name, body) {
    name = name || `hollow_${hex(4)}`
    if (this.names.has(name)) {
      const other = this.names.get(name)
      return { error: 409, message: `Conflict. The container name "/${name}" is already in use by container "${other}". You have to remove (or rename) that container to be able to reuse that name.` }
    }
    const image = imageRef(body.Image ?? '')
    if (!this.images.has(image)) return { error: 404, message: `No such image: ${body.Image}` }
    const id = hex(32)
    const c = {
      id, name, image: body.Image, imageId: this.images.get(image).Id, labels: body.Labels ?? {}, config: body,
      state: 'created', exitCode: 0, pid: 0, created: Date.now(), startedAt: 0, finishedAt: 0, logs: [],
    }
    this.containers.set(id, c)
    this.names.set(name, id)
    this.emit(c, 'create')
    return { id }
  }

  /** Starts after the configured latency; resolves when running (or rejects if removed meanwhile). */
  async start(c) {
    if (c.state === 'running') return 304
    const delay = this.opts.startMs + Math.random() * this.opts.startJitterMs
    if (delay > 0) await new Promise((r) => setTimeout(r, delay))
    if (!this.containers.has(c.id)) return 404
    if (c.state === 'running') return 304
    c.state = 'running'
    c.pid = 10000 + Math.floor(Math.random() * 50000)
    c.startedAt = Date.now()
    c.logs.push({ stream: 1, text: `hollow: started ${c.name} (${c.image})` })
    this.stats.starts++
    this.emit(c, 'start')
    if (this.opts.exitAfterMs > 0) {
      const t = setTimeout(() => { this.timers.delete(t); if (c.state === 'running') this.exit(c, this.opts.exitCode) },
        this.opts.exitAfterMs * (0.5 + Math.random()))
      this.timers.add(t)
    }
    return 204
  }

  /** The container's process ends with `code` (die event). */
  exit(c, code) {
    if (c.state !== 'running') return false
    c.state = 'exited'
    c.exitCode = code
    c.pid = 0
    c.finishedAt = Date.now()
    this.emit(c, 'die', { exitCode: String(code) })
    return true
  }

  stop(c, signal = 'stop') {
    if (c.state !== 'running') return 304
    this.emit(c, 'kill', { signal: signal === 'kill' ? '9' : '15' })
    this.exit(c, signal === 'kill' ? 137 : 143)
    this.emit(c, 'stop')
    return 204
  }

  remove(c, force) {
    if (c.state === 'running' && !force) return { error: 409, message: `cannot remove container "/${c.name}": container is running: stop the container before removing or force remove` }
    if (c.state === 'running') this.exit(c, 137)
    this.containers.delete(c.id)
    this.names.delete(c.name)
    this.emit(c, 'destroy')
    return {}
  }

  inspect(c) {
    return {
      Id: c.id, Name: `/${c.name}`, Created: iso(c.created), Image: c.imageId,
      State: {
        Status: c.state, Running: c.state === 'running', Paused: false, Restarting: false, OOMKilled: false, Dead: false,
        Pid: c.pid, ExitCode: c.exitCode, Error: '', StartedAt: iso(c.startedAt), FinishedAt: iso(c.finishedAt),
      },
      Config: { ...c.config, Image: c.image, Labels: c.labels, Hostname: c.id.slice(0, 12) },
      HostConfig: c.config.HostConfig ?? {},
      NetworkSettings: { Ports: {}, Networks: {} },
      Mounts: [],
    }
  }

  summary(c, now) {
    return {
      Id: c.id, Names: [`/${c.name}`], Image: c.image, ImageID: c.imageId, Command: (c.config.Cmd ?? []).join(' '),
      Created: Math.floor(c.created / 1000), State: c.state, Status: statusText(c, now), Labels: c.labels,
      Ports: [], Mounts: [], HostConfig: { NetworkMode: c.config.HostConfig?.NetworkMode ?? 'default' }, NetworkSettings: { Networks: {} },
    }
  }

  /** docker's container list filters: label, name, id, status. */
  list(all, filters) {
    const now = Date.now()
    const out = []
    for (const c of this.containers.values()) {
      if (!all && c.state !== 'running') continue
      if (filters.label && !labelsMatch(c.labels, filters.label)) continue
      if (filters.name && !filters.name.some((n) => c.name.includes(n.replace(/^\//, '')))) continue
      if (filters.id && !filters.id.some((i) => c.id.startsWith(i))) continue
      if (filters.status && !filters.status.includes(c.state)) continue
      out.push(this.summary(c, now))
    }
    return out
  }

  addImage(ref) {
    ref = imageRef(ref)
    if (!this.images.has(ref)) {
      this.images.set(ref, { Id: `sha256:${hex(32)}`, RepoTags: [ref], RepoDigests: [], Created: Math.floor(Date.now() / 1000), Size: 4_000_000, Labels: {} })
      this.emitImage(ref, 'pull')
    }
    return this.images.get(ref)
  }

  emit(c, action, extra = {}) {
    const now = Date.now()
    const ev = {
      status: action, id: c.id, from: c.image, Type: 'container', Action: action,
      Actor: { ID: c.id, Attributes: { ...c.labels, image: c.image, name: c.name, ...extra } },
      scope: 'local', time: Math.floor(now / 1000), timeNano: now * 1e6,
    }
    this.publish(ev)
  }

  emitImage(ref, action) {
    const now = Date.now()
    this.publish({ status: action, id: ref, Type: 'image', Action: action, Actor: { ID: ref, Attributes: { name: ref } }, scope: 'local', time: Math.floor(now / 1000), timeNano: now * 1e6 })
  }

  publish(ev) {
    this.history.push(ev)
    if (this.history.length > 256) this.history.splice(0, this.history.length - 256)
    for (const w of this.watchers) if (eventMatches(ev, w.filters)) w.write(ev)
  }

  /** Forgets every timer (the engine is killed or the process ends). */
  clearTimers() {
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
  }
}

/** docker's event filters: type, event, label, container. */
export function eventMatches(ev, filters) {
  if (filters.type && !filters.type.includes(ev.Type)) return false
  if (filters.event && !filters.event.some((e) => ev.Action === e || ev.Action.startsWith(`${e}:`))) return false
  if (filters.label && !labelsMatch(ev.Actor.Attributes, filters.label)) return false
  if (filters.container && !filters.container.some((c) => ev.Actor.ID.startsWith(c) || ev.Actor.Attributes.name === c)) return false
  return true
}
