#!/usr/bin/env node
// bin/run.js in oclif's development mode (debug output, full stack traces). It runs
// the bundle too: `npm run build` after changing the sources.
import { loadBundle } from './load.js'

const { execute, settings } = loadBundle()
settings.enableAutoTranspile = false
await execute({ development: true, dir: import.meta.url })
