// One line of CSV as Go's encoding/csv reads it (docker's --mount and long --publish syntax).

/** The fields of a CSV line: commas separate, double quotes quote ("" is a quote). Throws Error on a stray quote. */
export function csvFields(line: string): string[] {
  const fields: string[] = []
  let i = 0
  for (;;) {
    let field = ''
    if (line[i] === '"') {
      i++
      for (;;) {
        if (i >= line.length) throw new Error(`parse error on line 1, column ${i + 1}: extraneous or missing " in quoted-field`)
        if (line[i] === '"') {
          if (line[i + 1] === '"') { field += '"'; i += 2; continue }
          i++
          break
        }
        field += line[i++]
      }
      if (i < line.length && line[i] !== ',') throw new Error(`parse error on line 1, column ${i + 1}: extraneous or missing " in quoted-field`)
    } else {
      while (i < line.length && line[i] !== ',') {
        if (line[i] === '"') throw new Error(`parse error on line 1, column ${i + 1}: bare " in non-quoted-field`)
        field += line[i++]
      }
    }
    fields.push(field)
    if (i >= line.length) return fields
    i++ // the comma
  }
}
