#!/usr/bin/env node
// tsw: one bundle (dist/tsw.cjs) holds @oclif/core and every command, which oclif finds
// through its explicit command strategy (package.json "oclif.commands"). `tsw manager`
// runs from here too: swarm init spawns process.argv[1] manager.
import { loadBundle } from './load.js'

const { execute, settings } = loadBundle()
// The bundle is compiled: never look for TypeScript sources to transpile.
settings.enableAutoTranspile = false
await execute({ dir: import.meta.url })
