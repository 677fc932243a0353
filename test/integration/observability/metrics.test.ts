// The manager's observability address: Prometheus metrics that match what
// `service ps` and `node ls` say, and the cluster page live in headless Chromium.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { get } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GATEWAY, LabSwarm, waitFor } from '../../helpers/lab.js'
import { parseMetrics, sample } from '../../helpers/prometheus.js'

const IMG = '10.213.0.1:5000/busybox:1'
const METRICS = `${GATEWAY}:9431`

function fetchText(url: string): Promise<{ status: number; text: string; type: string }> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      let text = ''
      res.on('data', (c: Buffer) => (text += c.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, type: String(res.headers['content-type']) }))
    }).on('error', reject)
  })
}

describe('metrics and the cluster page', () => {
  const swarm = new LabSwarm(2432)
  let browser: BrowserContext | undefined
  const profile = mkdtempSync(join(tmpdir(), 'tsw-chromium-'))

  beforeAll(async () => {
    expect((await swarm.init(['--metrics-addr', METRICS])).code).toBe(0)
    expect((await swarm.join(2)).code).toBe(0)
    expect((await swarm.join(3)).code).toBe(0)
  })
  afterAll(async () => {
    await browser?.close()
    rmSync(profile, { recursive: true, force: true })
    await swarm.destroy()
  }, 120_000)

  it('serves Prometheus text whose node and task counts match node ls and service ps', async () => {
    expect((await swarm.tsw(1, 'service', 'create', '--name', 'mweb', '--replicas', '4', IMG, 'sleep', '1d')).code).toBe(0)
    const res = await fetchText(`http://${METRICS}/metrics`)
    expect(res.status).toBe(200)
    expect(res.type).toContain('text/plain; version=0.0.4')
    const m = parseMetrics(res.text)
    expect(sample(m, 'swarm_manager_nodes', { state: 'ready' })).toBe(3)
    expect(sample(m, 'swarm_manager_nodes', { state: 'down' })).toBe(0)
    expect(sample(m, 'swarm_manager_services_total')).toBe(1)
    expect(sample(m, 'swarm_manager_leader')).toBe(1)
    const ps = await swarm.tsw(1, 'service', 'ps', '--format', '{{.CurrentState}}', 'mweb')
    const running = ps.stdout.split('\n').filter((l) => l.startsWith('Running')).length
    expect(running).toBe(4)
    expect(sample(m, 'swarm_manager_tasks_total', { state: 'running' })).toBe(running)
    const total = m.get('swarm_manager_tasks_total')!.metrics.reduce((s, x) => s + Number(x.value), 0)
    expect(total).toBe(ps.stdout.trim().split('\n').length)
    // Every task was seen from creation to running by this manager.
    expect(Number(m.get('swarm_dispatcher_scheduling_delay_seconds')!.metrics[0].count)).toBeGreaterThanOrEqual(4)
    // Per node: the executor's engine calls (create, start…), and the loops' passes.
    for (const i of [1, 2, 3]) expect(res.text).toMatch(new RegExp(`^tsw_engine_call_duration_seconds_count\\{engine="tcp://10\\.213\\.0\\.1${i}:2375",call="create",outcome="ok"\\} [1-9]`, 'm'))
    expect(res.text).toMatch(/^tsw_reconcile_pass_duration_seconds_count\{loop="scheduler"\} [1-9]/m)
    expect(res.text).toMatch(/^swarm_store_write_tx_latency_seconds_count\{kind="task"\} [1-9]/m)
  })

  it('counts the routing mesh rules each node holds', async () => {
    expect((await swarm.tsw(1, 'service', 'create', '--name', 'mesh', '-p', '8089:80', IMG, 'sleep', '1d')).code).toBe(0)
    const meshRules = async () => {
      const text = (await fetchText(`http://${METRICS}/metrics`)).text
      return [...text.matchAll(/^tsw_mesh_rules\{node="([^"]+)"\} (\d+)$/gm)].map((m) => ({ node: m[1], rules: Number(m[2]) }))
    }
    // Every node publishes the port (ingress): each one's script holds DNAT rules for it.
    const withPort = await waitFor(async () => {
      const rows = await meshRules()
      return rows.length === 3 && rows.every((r) => r.rules > 0) ? rows : undefined
    }, 60_000)
    expect(new Set(withPort.map((r) => r.node)).size).toBe(3)
    expect((await swarm.tsw(1, 'service', 'rm', 'mesh')).code).toBe(0)
    // Without the published port the nodes hold fewer rules.
    await waitFor(async () => {
      const rows = await meshRules()
      return rows.every((r) => r.rules < withPort.find((w) => w.node === r.node)!.rules) || undefined
    }, 60_000)
  }, 150_000)

  it('keeps the page behind its token', async () => {
    expect((await fetchText(`http://${METRICS}/`)).status).toBe(401)
    expect((await fetchText(`http://${METRICS}/?token=wrong`)).status).toBe(401)
    expect((await fetchText(`http://${METRICS}/ui/stream`)).status).toBe(401)
    const log = readFileSync(join(swarm.dir(1), 'manager/manager.log'), 'utf8')
    expect(log).toContain(`cluster page on http://${METRICS}/?token=`)
  })

  it('shows nodes as columns and tasks as cards, live: a scale adds cards, a drain moves them', async () => {
    const token = readFileSync(join(swarm.dir(1), 'manager/ui.token'), 'utf8').trim()
    // Debian's chromium, a fresh profile (the --user-data-dir), nothing downloaded.
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium', headless: true, viewport: { width: 1100, height: 560 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    })
    const page = browser.pages()[0] ?? await browser.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(String(e)))
    await page.goto(`http://${METRICS}/?token=${token}`)
    const cards = (node: string) => page.locator(`[data-node="${node}"] [data-task][data-state="running"]`).count()
    const allRunning = () => page.locator('[data-task][data-state="running"]').count()
    await waitFor(async () => (await allRunning()) === 4, 15_000, 'four running cards')
    expect(await page.locator('[data-node]').count()).toBe(3)
    expect(await page.locator('[data-service="mweb"] .replicas').textContent()).toBe('4/4')

    expect((await swarm.tsw(1, 'service', 'scale', 'mweb=7')).code).toBe(0)
    await waitFor(async () => (await allRunning()) === 7, 20_000, 'seven running cards, without a reload')
    expect(await page.locator('[data-service="mweb"] .replicas').textContent()).toBe('7/7')

    expect((await swarm.tsw(1, 'node', 'update', '--availability', 'drain', 'node03')).code).toBe(0)
    await waitFor(async () => (await cards('node03')) === 0 && (await cards('node01')) + (await cards('node02')) === 7, 30_000, 'node03\'s cards to move to node01 and node02')
    expect(await page.locator('[data-node="node03"] .meta').textContent()).toContain('drain')
    await waitFor(async () => (await page.locator('#log').textContent())?.includes('availability.new=drain'), 10_000, 'the drain event in the log')
    await page.screenshot({ path: process.env.TSW_SCREENSHOT ?? join(profile, 'page.png') })
    expect(errors).toEqual([])
    // The drained node's column holds no task that runs; the others hold all seven.
    const total = await waitFor(async () => (await cards('node01')) + (await cards('node02')), 1000)
    expect(total).toBe(7)
  })
})
