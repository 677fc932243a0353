// `secret ls`/`config ls` rows and `inspect --pretty`, as docker/cli prints them
// (cli/command/secret/formatter.go, cli/command/config/formatter.go).
import type { Secret } from '../types/index.js'
import { humanDuration, timeMillis } from './durations.js'
import { goTimeString } from './networks.js'
import { renderRows } from './rows.js'
import { naturalCompare } from './strings.js'
import { compileTemplate } from './template/index.js'

export const SECRET_TABLE = 'table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.CreatedAt}}\t{{.UpdatedAt}}'
export const CONFIG_TABLE = 'table {{.ID}}\t{{.Name}}\t{{.CreatedAt}}\t{{.UpdatedAt}}'
const HEADERS = { ID: 'ID', Name: 'NAME', Driver: 'DRIVER', CreatedAt: 'CREATED', UpdatedAt: 'UPDATED', Labels: 'LABELS' }

/** The row context of one secret or config (the fields --format can use). */
export interface PayloadRow {
  ID: string; Name: string; Driver: string; CreatedAt: string; UpdatedAt: string; Labels: string
}

const ago = (iso: string, now: number) => `${humanDuration(now - timeMillis(iso))} ago`

/** One row: full ID (docker does not cut it), times as "5 minutes ago". */
export function payloadRow(s: Secret, now = Date.now()): PayloadRow {
  const labels = s.Spec.Labels ?? {}
  return {
    ID: s.ID, Name: s.Spec.Name, Driver: s.Spec.Driver?.Name ?? '',
    CreatedAt: ago(s.CreatedAt, now), UpdatedAt: ago(s.UpdatedAt, now),
    Labels: Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(','),
  }
}

/** `secret ls` / `config ls`: sorted by name naturally, the table of the kind, -q IDs, or --format. */
export function renderPayloads(kind: 'secret' | 'config', list: Secret[], opts: { format?: string; quiet?: boolean }, now = Date.now()): string {
  const rows = [...list].sort((a, b) => naturalCompare(a.Spec.Name, b.Spec.Name)).map((s) => payloadRow(s, now))
  return renderRows(rows, { format: opts.format, quiet: opts.quiet, defaultTable: kind === 'secret' ? SECRET_TABLE : CONFIG_TABLE, headers: HEADERS })
}

const LABELS = `{{- if .Labels }}
Labels:
{{- range $k, $v := .Labels }}
 - {{ $k }}{{if $v }}={{ $v }}{{ end }}
{{- end }}{{ end }}`
const SECRET_PRETTY = `ID:              {{.ID}}
Name:              {{.Name}}
${LABELS}
Driver:            {{.Driver}}
Created at:        {{.CreatedAt}}
Updated at:        {{.UpdatedAt}}`
const CONFIG_PRETTY = `ID:\t\t\t{{.ID}}
Name:\t\t\t{{.Name}}
${LABELS}
Created at:            \t{{.CreatedAt}}
Updated at:            \t{{.UpdatedAt}}
Data:
{{.Data}}`

/** `inspect --pretty`: docker's template for the kind, objects separated by a blank line. */
export function renderPayloadPretty(kind: 'secret' | 'config', list: Secret[]): string {
  const render = compileTemplate(kind === 'secret' ? SECRET_PRETTY : CONFIG_PRETTY)
  return list.map((s) => render({
    ID: s.ID, Name: s.Spec.Name, Labels: s.Spec.Labels ?? {}, Driver: s.Spec.Driver?.Name ?? '',
    CreatedAt: goTimeString(s.CreatedAt), UpdatedAt: goTimeString(s.UpdatedAt),
    Data: Buffer.from(s.Spec.Data ?? '', 'base64').toString('utf8'),
  }) + '\n').join('\n')
}
