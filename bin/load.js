// Loads the CLI bundle (dist/tsw.cjs, made by scripts/bundle.mjs) with V8's code cache:
// compiling a script with the cached data skips most of the parsing and compiling, the
// larger part of tsw's start-up (Node 20 has no compile cache of its own).
//
// The cache sits next to the bundle, named after the bundle's build id and the V8 that
// made it. When there is none or V8 rejects it (another Node), this process writes a new
// one as it exits, if it can: a temporary file renamed, so concurrent runs never read a
// partial one. TSW_CODE_CACHE=0 neither reads nor writes it.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire, Module } from 'node:module'
import { dirname } from 'node:path'
import { fileURLToPath, URL } from 'node:url'
import { Script } from 'node:vm'

const WRAPPER = '(function (exports, require, module, __filename, __dirname) {\n'

/** dist/tsw.cjs, evaluated once and registered as that module (oclif requires it for the commands). */
export function loadBundle() {
  const file = fileURLToPath(new URL('../dist/tsw.cjs', import.meta.url))
  let source
  try {
    source = readFileSync(file, 'utf8')
  } catch (err) {
    process.stderr.write(`tsw: cannot read ${file} (${err.code ?? err.message}): run "npm run build"\n`)
    process.exit(1)
  }
  const useCache = process.env.TSW_CODE_CACHE !== '0'
  const id = /tsw-build:(\w+)/.exec(source.slice(0, 64))?.[1]
  const cacheFile = useCache && id ? `${file}.${id}.${process.versions.v8}-${process.arch}.cache` : undefined
  let cachedData
  if (cacheFile) {
    try {
      cachedData = readFileSync(cacheFile)
    } catch {
      // none yet: written on exit
    }
  }
  const script = new Script(`${WRAPPER}${source}\n})`, {
    filename: file,
    lineOffset: -1,
    cachedData,
  })
  if (cacheFile && (!cachedData || script.cachedDataRejected)) {
    // On exit, the functions this run compiled are in the cache too.
    process.once('exit', () => {
      const tmp = `${cacheFile}.${process.pid}.tmp`
      try {
        writeFileSync(tmp, script.createCachedData())
        renameSync(tmp, cacheFile)
      } catch {
        // read-only install, full disk: run without one
        try { rmSync(tmp, { force: true }) } catch { /* nothing to clean */ }
      }
    })
  }
  const module = new Module(file)
  module.filename = file
  module.paths = Module._nodeModulePaths(dirname(file))
  const require = createRequire(file)
  require.cache[file] = module
  script.runInThisContext().call(module.exports, module.exports, require, module, file, dirname(file))
  module.loaded = true
  return module.exports
}
