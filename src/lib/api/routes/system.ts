// /_ping, /version, /info: what every Docker client asks first.
import { arch, release } from 'node:os'
import { getSwarm } from '../../cluster/index.js'
import type { Node } from '../../types/index.js'
import type { ApiContext } from '../context.js'
import { API_VERSION } from '../http.js'
import type { Router } from '../router.js'

export const TSW_VERSION = '0.1.0'
const MIN_API_VERSION = '1.24'

export function systemRoutes(router: Router, ctx: ApiContext): void {
  const pingHeaders = {
    'Cache-Control': 'no-cache, no-store, must-revalidate',
    Pragma: 'no-cache',
    'Docker-Experimental': 'false',
    Ostype: 'linux',
    Swarm: 'active/manager',
  }
  router.add('GET', '/_ping', () => ({ text: 'OK', headers: pingHeaders }), true)

  router.add('GET', '/version', () => ({ body: version() }))

  router.add('GET', '/info', async () => {
    const [swarm, nodes, classic, running] = await Promise.all([
      getSwarm(ctx.store), ctx.store.list<Node>('node'), ctx.classic.info(), ctx.membership.managers(),
    ])
    const self = nodes.find((n) => n.ID === ctx.config.NodeID)
    const { JoinTokens: _tokens, ...cluster } = swarm
    return {
      body: {
        ID: ctx.config.NodeID,
        // Counted over the engines, which SystemStatus lists as classic swarm did.
        Containers: classic.Containers, ContainersRunning: classic.ContainersRunning,
        ContainersPaused: classic.ContainersPaused, ContainersStopped: classic.ContainersStopped, Images: classic.Images,
        Driver: '', DriverStatus: null, SystemStatus: classic.SystemStatus, Plugins: { Volume: null, Network: null, Authorization: null, Log: null },
        MemoryLimit: false, SwapLimit: false, CpuCfsPeriod: false, CpuCfsQuota: false, CPUShares: false, CPUSet: false,
        PidsLimit: false, IPv4Forwarding: true, BridgeNfIptables: false, BridgeNfIp6tables: false, Debug: false,
        NFd: 0, OomKillDisable: false, NGoroutines: 0, SystemTime: new Date().toISOString(), LoggingDriver: '',
        CgroupDriver: '', CgroupVersion: '', NEventsListener: 0, KernelVersion: release(),
        OperatingSystem: 'tsw swarm manager', OSVersion: '', OSType: 'linux', Architecture: arch() === 'x64' ? 'x86_64' : arch(),
        IndexServerAddress: '', RegistryConfig: null,
        NCPU: nodes.reduce((s, n) => s + n.Description.Resources.NanoCPUs / 1e9, 0),
        MemTotal: nodes.reduce((s, n) => s + n.Description.Resources.MemoryBytes, 0),
        GenericResources: null, DockerRootDir: '', HttpProxy: '', HttpsProxy: '', NoProxy: '',
        Name: self?.Description.Hostname ?? '', Labels: [], ExperimentalBuild: false, ServerVersion: `${TSW_VERSION}-tsw`,
        Runtimes: {}, DefaultRuntime: '', LiveRestoreEnabled: false, Isolation: '', InitBinary: '',
        SecurityOptions: [], Warnings: null,
        // tsw's own: where the swarm keeps its state (etcd swarms run a manager per manager node).
        TswStore: ctx.config.Store ? 'etcd' : 'sqlite',
        Swarm: {
          NodeID: ctx.config.NodeID,
          NodeAddr: ctx.config.AdvertiseAddr,
          LocalNodeState: 'active',
          ControlAvailable: true,
          Error: '',
          RemoteManagers: running.map((m) => ({ NodeID: m.NodeID, Addr: m.Addr })),
          Nodes: nodes.length,
          Managers: nodes.filter((n) => n.Spec.Role === 'manager').length,
          Cluster: cluster,
        },
      },
    }
  })
}

/** GET /version's answer (a locked manager gives it too). */
export function version() {
  const a = arch() === 'x64' ? 'amd64' : arch()
  return {
    Platform: { Name: 'tsw' },
    Components: [{ Name: 'Engine', Version: TSW_VERSION, Details: { ApiVersion: API_VERSION, MinAPIVersion: MIN_API_VERSION, Os: 'linux', Arch: a } }],
    Version: TSW_VERSION, ApiVersion: API_VERSION, MinAPIVersion: MIN_API_VERSION, GitCommit: '',
    GoVersion: `node ${process.version}`, Os: 'linux', Arch: a, KernelVersion: release(), BuildTime: '',
  }
}
