// Prometheus' text format read back with a real parser (parse-prometheus-text-format).
// It folds a histogram's labelled series into one: read those counts from the lines.
import { createRequire } from 'node:module'

export interface PromFamily {
  name: string
  type: string
  metrics: Array<{ value?: string; labels?: Record<string, string>; buckets?: Record<string, string>; count?: string; sum?: string }>
}

const parse = createRequire(import.meta.url)('parse-prometheus-text-format') as (text: string) => PromFamily[]

/** The metric families of an exposition text, by name. Throws on text the parser refuses. */
export function parseMetrics(text: string): Map<string, PromFamily> {
  return new Map(parse(text).map((f) => [f.name, f]))
}

/** The value of a gauge or counter with exactly these labels (undefined when absent). */
export function sample(families: Map<string, PromFamily>, name: string, labels: Record<string, string> = {}): number | undefined {
  const m = families.get(name)?.metrics.find((x) => JSON.stringify(x.labels ?? {}) === JSON.stringify(labels))
  return m?.value === undefined ? undefined : Number(m.value)
}
