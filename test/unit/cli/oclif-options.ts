// The oclif load options the command tests run command classes with: tsw's package.json
// minus command discovery. package.json has oclif load the commands from the bundle
// (dist/tsw.cjs, made by npm run build); these tests run the classes from src, so they
// need neither the bundle nor oclif.manifest.json.
import { readFileSync } from 'node:fs'
import type { Interfaces } from '@oclif/core'

const root = new URL('../../../', import.meta.url).pathname
const pjson = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as Interfaces.PJSON

export const OCLIF_OPTIONS: Interfaces.LoadOptions = { root, pjson: { ...pjson, oclif: { ...pjson.oclif, commands: undefined } } }
