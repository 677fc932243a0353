// Preloaded into the manager by bench/scale.mjs (MANAGER_CPU_PROF=dir; node refuses
// --cpu-prof in NODE_OPTIONS): a V8 CPU profile of the `tsw manager` process from its
// start until it exits, written to dir/manager-<pid>.cpuprofile (open it in Chrome's
// DevTools). Other processes that load it (the CLI) are left alone.
const { Session } = require('node:inspector')
const { writeFileSync } = require('node:fs')
const { join } = require('node:path')

const dir = process.env.MANAGER_CPU_PROF
if (dir && process.argv.includes('manager')) {
  const session = new Session()
  session.connect()
  session.post('Profiler.enable')
  session.post('Profiler.setSamplingInterval', { interval: 1000 })
  session.post('Profiler.start')
  // The in-process inspector answers synchronously: the profile is written even from 'exit'.
  process.on('exit', () => {
    session.post('Profiler.stop', (err, res) => {
      if (!err) writeFileSync(join(dir, `manager-${process.pid}.cpuprofile`), JSON.stringify(res.profile))
    })
  })
}
