// The JSON schema of the compose files tsw deploys: the Compose Specification's
// fields (as docker/cli's config_schema_v3.x.json and compose-spec's schema
// define them) that a swarm stack uses. Unknown keys and wrong types are
// rejected; keys docker ignores in stack deploy are allowed here and warned
// about (properties.ts). `x-` extension keys are allowed where the spec allows them.

const str = { type: 'string' }
const int = { type: 'integer' }
const bool = { type: 'boolean' }
const strOrNum = { type: ['string', 'number'] }
const list = (items: object = str) => ({ type: 'array', items })
const strOrList = { oneOf: [str, list()] }
const anything = {}
const extensions = { '^x-': anything }
const obj = (properties: Record<string, object>, extra: object = {}) => ({
  type: 'object', properties, additionalProperties: false, patternProperties: extensions, ...extra,
})
/** A mapping of string-ish values, or a list of "k=v" strings (environment, labels, sysctls). */
const listOrDict = {
  oneOf: [
    { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean', 'null'] } },
    list(),
  ],
}
const command = { oneOf: [str, list(), { type: 'null' }] }

const updateConfig = obj({
  parallelism: int, delay: str, failure_action: { type: 'string', enum: ['continue', 'rollback', 'pause'] },
  monitor: str, max_failure_ratio: { type: 'number' }, order: { type: 'string', enum: ['start-first', 'stop-first'] },
})
const resource = obj({ cpus: strOrNum, memory: strOrNum, pids: int, generic_resources: list(anything), devices: list(anything) })

const deploy = obj({
  mode: { type: 'string', enum: ['replicated', 'global', 'replicated-job', 'global-job'] },
  replicas: int,
  labels: listOrDict,
  endpoint_mode: { type: 'string', enum: ['vip', 'dnsrr'] },
  update_config: updateConfig,
  rollback_config: updateConfig,
  resources: obj({ limits: resource, reservations: resource }),
  restart_policy: obj({ condition: { type: 'string', enum: ['none', 'on-failure', 'any'] }, delay: str, max_attempts: int, window: str }),
  placement: obj({
    constraints: list(),
    preferences: list(obj({ spread: str })),
    max_replicas_per_node: int,
  }),
})

const port = obj({
  name: str, mode: { type: 'string', enum: ['host', 'ingress'] }, host_ip: str, target: int, published: strOrNum,
  protocol: { type: 'string', enum: ['tcp', 'udp', 'sctp'] }, app_protocol: str,
}, { required: ['target'] })

const volumeMount = obj({
  type: { type: 'string', enum: ['bind', 'volume', 'tmpfs', 'npipe', 'cluster'] },
  source: str, target: str, read_only: bool, consistency: str,
  bind: obj({ propagation: str, create_host_path: bool, selinux: str }),
  volume: obj({ nocopy: bool, subpath: str }),
  tmpfs: obj({ size: strOrNum, mode: { type: 'number' } }),
}, { required: ['type'] })

const fileRef = { oneOf: [str, obj({ source: str, target: str, uid: str, gid: str, mode: { type: 'number' } }, { required: ['source'] })] }

const service = obj({
  // What tsw deploys.
  image: str, command, entrypoint: command, environment: listOrDict, env_file: strOrList, labels: listOrDict,
  deploy, ports: list({ oneOf: [strOrNum, port] }),
  networks: {
    oneOf: [
      list(),
      { type: 'object', additionalProperties: { oneOf: [{ type: 'null' }, obj({ aliases: list(), ipv4_address: str, ipv6_address: str, driver_opts: { type: 'object', additionalProperties: strOrNum }, priority: { type: 'number' } })] } },
    ],
  },
  volumes: list({ oneOf: [str, volumeMount] }),
  secrets: list(fileRef), configs: list(fileRef),
  healthcheck: obj({ test: strOrList, interval: str, timeout: str, retries: { type: 'number' }, start_period: str, start_interval: str, disable: bool }),
  user: str, working_dir: str, hostname: str, stop_grace_period: str, stop_signal: str,
  cap_add: list(), cap_drop: list(), sysctls: listOrDict, init: bool, read_only: bool, tty: bool, tmpfs: strOrList,
  ulimits: { type: 'object', additionalProperties: { oneOf: [int, obj({ soft: int, hard: int }, { required: ['soft', 'hard'] })] } },
  logging: obj({ driver: str, options: { type: 'object', additionalProperties: { type: ['string', 'number', 'null'] } } }),
  // Deployed by docker, refused by tsw (properties.ts NOT_HONOURED).
  dns: strOrList, dns_search: strOrList, dns_opt: list(), extra_hosts: listOrDict, stdin_open: bool, credential_spec: anything, isolation: str,
  // Ignored by docker stack deploy (properties.ts UNSUPPORTED, DEPRECATED), or by swarm altogether.
  build: { oneOf: [str, { type: 'object' }] }, cgroupns_mode: str, cgroup_parent: str, devices: list(anything), domainname: str,
  external_links: list(), ipc: str, links: list(), mac_address: str, network_mode: str, pid: { type: ['string', 'null'] },
  privileged: bool, restart: str, security_opt: list(), shm_size: strOrNum, userns_mode: str,
  container_name: str, expose: list(strOrNum), depends_on: { oneOf: [list(), { type: 'object' }] }, platform: str, pull_policy: str,
  // Refused by docker (properties.ts FORBIDDEN): allowed here so the refusal says why.
  extends: anything, volume_driver: anything, volumes_from: anything, cpu_quota: anything, cpu_shares: anything,
  cpuset: anything, mem_limit: anything, memswap_limit: anything,
})

const external = { oneOf: [bool, obj({ name: str })] }
const ipam = obj({ driver: str, config: list(obj({ subnet: str, ip_range: str, gateway: str, aux_addresses: { type: 'object' } })), options: { type: 'object' } })
const network = {
  oneOf: [{ type: 'null' }, obj({
    name: str, driver: str, driver_opts: { type: 'object', additionalProperties: strOrNum }, ipam, external,
    internal: bool, attachable: bool, enable_ipv6: bool, labels: listOrDict, scope: str,
  })],
}
const volume = {
  oneOf: [{ type: 'null' }, obj({ name: str, driver: str, driver_opts: { type: 'object', additionalProperties: strOrNum }, external, labels: listOrDict })],
}
const fileObject = obj({ name: str, file: str, environment: str, content: str, external, labels: listOrDict, driver: str, driver_opts: { type: 'object' }, template_driver: str })

/** The schema every compose file is validated against, before the files are merged. */
export const COMPOSE_SCHEMA = obj({
  version: strOrNum,
  name: str,
  services: { type: 'object', additionalProperties: service, propertyNames: { pattern: '^[a-zA-Z0-9._-]+$' } },
  networks: { type: 'object', additionalProperties: network },
  volumes: { type: 'object', additionalProperties: volume },
  secrets: { type: 'object', additionalProperties: fileObject },
  configs: { type: 'object', additionalProperties: fileObject },
})
