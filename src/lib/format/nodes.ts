// `node ls` rows and `node inspect --pretty`, as docker/cli prints them.
import type { Node } from '../types/index.js'
import { bytesSize, goTime, title } from './units.js'

export const NODE_TABLE = 'table {{.ID}} {{if .Self}}*{{else}} {{ end }}\t{{.Hostname}}\t{{.Status}}\t{{.Availability}}\t{{.ManagerStatus}}\t{{.EngineVersion}}'
export const NODE_HEADERS = {
  ID: 'ID', Self: '', Hostname: 'HOSTNAME', Status: 'STATUS', Availability: 'AVAILABILITY',
  ManagerStatus: 'MANAGER STATUS', TLSStatus: 'TLS STATUS', EngineVersion: 'ENGINE VERSION',
}

/** The row context of one node (the fields `--format` can use). */
export function nodeRow(node: Node, selfId: string) {
  return {
    ID: node.ID,
    Self: node.ID === selfId,
    Hostname: node.Description.Hostname,
    Status: title(node.Status.State),
    Availability: title(node.Spec.Availability),
    ManagerStatus: managerStatus(node),
    TLSStatus: 'Ready',
    EngineVersion: node.Description.Engine.EngineVersion,
  }
}

/** Nodes in `node ls` order: by hostname, then ID. */
export function sortNodes(nodes: Node[]): Node[] {
  return [...nodes].sort((a, b) => a.Description.Hostname.localeCompare(b.Description.Hostname) || a.ID.localeCompare(b.ID))
}

function managerStatus(node: Node): string {
  if (!node.ManagerStatus) return ''
  return node.ManagerStatus.Leader ? 'Leader' : title(node.ManagerStatus.Reachability)
}

/** `node inspect --pretty` text for one node (docker's exact layout, tabs included). */
export function prettyNode(node: Node): string {
  const d = node.Description
  const lines: string[] = [`ID:\t\t\t${node.ID}`]
  if (node.Spec.Name) lines.push(`Name:\t\t\t${node.Spec.Name}`)
  pushLabels(lines, 'Labels:', node.Spec.Labels)
  lines.push(`Hostname:              \t${d.Hostname}`, `Joined at:             \t${goTime(node.CreatedAt)}`)
  lines.push('Status:', ` State:\t\t\t${title(node.Status.State)}`)
  if (node.Status.Message) lines.push(` Message:              \t${node.Status.Message}`)
  lines.push(` Availability:         \t${title(node.Spec.Availability)}`)
  if (node.Status.Addr) lines.push(` Address:\t\t${node.Status.Addr}`)
  if (node.ManagerStatus) {
    lines.push('Manager Status:', ` Address:\t\t${node.ManagerStatus.Addr}`, ` Raft Status:\t\t${title(node.ManagerStatus.Reachability)}`)
    lines.push(node.ManagerStatus.Leader ? ' Leader:\t\tYes' : ' Leader:\t\tNo')
  }
  lines.push('Platform:', ` Operating System:\t${d.Platform.OS}`, ` Architecture:\t\t${d.Platform.Architecture}`)
  lines.push('Resources:', ` CPUs:\t\t\t${d.Resources.NanoCPUs / 1e9}`, ` Memory:\t\t${bytesSize(d.Resources.MemoryBytes)}`)
  const plugins = new Map<string, string[]>()
  for (const p of d.Engine.Plugins ?? []) plugins.set(p.Type, [...(plugins.get(p.Type) ?? []), p.Name])
  if (plugins.size) {
    lines.push('Plugins:')
    for (const [type, names] of [...plugins].sort(([a], [b]) => a.localeCompare(b))) lines.push(` ${type}:\t\t${names.sort().join(', ')}`)
  }
  lines.push(`Engine Version:\t\t${d.Engine.EngineVersion}`)
  pushLabels(lines, 'Engine Labels:', d.Engine.Labels)
  if (d.TLSInfo) {
    lines.push('TLS Info:', ' TrustRoot:', d.TLSInfo.TrustRoot, ` Issuer Subject:\t${d.TLSInfo.CertIssuerSubject}`)
    lines.push(` Issuer Public Key:\t${d.TLSInfo.CertIssuerPublicKey}`)
  }
  return lines.join('\n') + '\n'
}

function pushLabels(lines: string[], heading: string, labels: Record<string, string> | undefined): void {
  const keys = Object.keys(labels ?? {}).sort()
  if (!keys.length) return
  lines.push(heading, ...keys.map((k) => (labels![k] === '' ? ` - ${k}` : ` - ${k}=${labels![k]}`)))
}
