// The cluster page: one self-contained HTML document (no external assets). Its
// script opens /ui/stream (Server-Sent Events): a `state` message redraws the
// nodes, services and task cards, a `swarm` message is one docker event for the
// log at the bottom. Names are set as text, never as HTML.

/** The page's HTML. */
export function pageHtml(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tsw swarm</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1d2330}
header{background:#1d2330;color:#fff;padding:10px 16px;display:flex;gap:16px;align-items:baseline}
header h1{font-size:17px;margin:0}#status{font-size:12px;opacity:.75}
section{padding:12px 16px}h2{font-size:13px;text-transform:uppercase;letter-spacing:.05em;color:#59617a;margin:0 0 8px}
table{border-collapse:collapse;background:#fff;min-width:420px}td,th{padding:4px 10px;border-bottom:1px solid #e3e5ea;text-align:left}
#nodes{display:flex;gap:12px;align-items:flex-start;overflow-x:auto}
.node{background:#fff;border-radius:6px;min-width:190px;padding:8px;box-shadow:0 1px 2px #0002}
.node h3{margin:0;font-size:14px}.node .meta{font-size:12px;color:#59617a;margin-bottom:6px}
.node.down,.node.unknown,.node.disconnected{opacity:.6;outline:2px dashed #c0392b}.node.drain .meta{color:#c0392b}
.task{border-radius:4px;padding:5px 7px;margin:4px 0;font-size:12px;color:#fff;display:flex;justify-content:space-between;gap:8px}
.task.running{background:#2e8b57}.task.new,.task.pending,.task.assigned,.task.accepted,.task.preparing,.task.ready,.task.starting{background:#d4a017}
.task.failed,.task.rejected,.task.orphaned{background:#c0392b}.task.complete,.task.shutdown,.task.remove{background:#8a90a0}
#log{font:12px ui-monospace,monospace;background:#fff;padding:8px;max-height:180px;overflow-y:auto;white-space:pre}
</style></head><body>
<header><h1>tsw swarm</h1><span id="status">connecting…</span></header>
<section><h2>Nodes and tasks</h2><div id="nodes"></div></section>
<section><h2>Services</h2><table><thead><tr><th>NAME</th><th>MODE</th><th>REPLICAS</th><th>UPDATE</th></tr></thead><tbody id="services"></tbody></table></section>
<section><h2>Events</h2><div id="log"></div></section>
<script>
const el = (tag, cls, text) => { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e }
function draw(s) {
  const nodes = document.getElementById('nodes'); nodes.replaceChildren()
  const columns = s.nodes.map((n) => ({ id: n.ID, title: n.Hostname, meta: n.Role + (n.Leader ? ' (leader)' : '') + ' · ' + n.State + ' · ' + n.Availability, cls: n.State + ' ' + n.Availability }))
  if (s.tasks.some((t) => !t.NodeID)) columns.push({ id: '', title: 'unassigned', meta: 'waiting for a node', cls: '' })
  for (const c of columns) {
    const col = el('div', 'node ' + c.cls); col.dataset.node = c.title
    col.append(el('h3', '', c.title), el('div', 'meta', c.meta))
    for (const t of s.tasks.filter((t) => t.NodeID === c.id)) {
      const card = el('div', 'task ' + t.State); card.dataset.task = t.ID; card.dataset.state = t.State; card.dataset.service = t.ServiceID
      card.append(el('span', '', t.Name), el('span', '', t.State)); col.append(card)
    }
    nodes.append(col)
  }
  const rows = document.getElementById('services'); rows.replaceChildren()
  for (const sv of s.services) {
    const tr = el('tr'); tr.dataset.service = sv.Name
    tr.append(el('td', '', sv.Name), el('td', '', sv.Mode), el('td', 'replicas', sv.Running + '/' + sv.Desired), el('td', '', sv.UpdateState))
    rows.append(tr)
  }
}
const source = new EventSource('ui/stream')
source.addEventListener('state', (m) => { draw(JSON.parse(m.data)); document.getElementById('status').textContent = 'live · ' + new Date().toLocaleTimeString() })
source.addEventListener('swarm', (m) => {
  const e = JSON.parse(m.data), log = document.getElementById('log')
  const attrs = Object.entries(e.Actor.Attributes).map(([k, v]) => k + '=' + v).join(', ')
  log.prepend(el('div', '', new Date(e.time * 1000).toLocaleTimeString() + ' ' + e.Type + ' ' + e.Action + ' ' + e.Actor.ID.slice(0, 12) + ' (' + attrs + ')'))
})
source.onerror = () => { document.getElementById('status').textContent = 'reconnecting…' }
</script></body></html>
`
}
