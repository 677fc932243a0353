// The flags of `service create` and `service update`, named as docker names
// them (cli/command/service/opts.go, create.go, update.go): commonFlags are
// the ones both share (docker's addServiceFlags); create adds the plain list
// flags (--env, --mount, …), update their -add/-rm pairs. Values stay strings
// here; spec.ts and update.ts parse them, so errors read like docker's.
import { Flags } from '@oclif/core'
import type { InferredFlags } from '@oclif/core/interfaces'
import { BaseCommand } from '../base.js'
import { fieldCommonFlags, fieldCreateFlags, fieldUpdateFlags } from './field-flags.js'

const list = (description: string, char?: 'e' | 'l' | 'p') =>
  Flags.string({ description, char, multiple: true, multipleNonGreedy: true })
const str = (description: string, char?: 'w' | 'u') => Flags.string({ description, char })
const bool = (description: string, char?: 't' | 'd' | 'q') => Flags.boolean({ description, char })
/** A boolean that update can also turn off (--no-tty, or docker's --tty=false). */
const toggle = (description: string, char?: 't') => Flags.boolean({ description, char, allowNo: true })

/**
 * The base flags of create and update: as in docker, `--host` there is an
 * extra host (host:ip), so the manager to talk to is `-H` (or TSW_HOST) alone.
 */
export const serviceBaseFlags = {
  'data-dir': BaseCommand.baseFlags['data-dir'],
  manager: Flags.string({
    char: 'H',
    description: 'manager to talk to, HOST:PORT (default: this host\'s swarm context); --host is an extra host here, as in docker',
    env: 'TSW_HOST',
    helpGroup: 'GLOBAL',
  }),
}

/** Flags of both create and update. */
export const commonFlags = {
  detach: bool('Exit immediately instead of waiting for the service to converge', 'd'),
  quiet: bool('Suppress progress output', 'q'),
  workdir: str('Working directory inside the container', 'w'),
  user: str('Username or UID (format: <name|uid>[:<group|gid>])', 'u'),
  hostname: str('Container hostname'),
  entrypoint: str('Overwrite the default ENTRYPOINT of the image'),
  'cap-add': list('Add Linux capabilities'),
  'cap-drop': list('Drop Linux capabilities'),
  'limit-cpu': str('Limit CPUs'),
  'limit-memory': str('Limit Memory'),
  'reserve-cpu': str('Reserve CPUs'),
  'reserve-memory': str('Reserve Memory'),
  'stop-grace-period': str('Time to wait before force killing a container (ns|us|ms|s|m|h) (default 10s)'),
  replicas: str('Number of tasks'),
  'max-concurrent': str('Number of job tasks to run concurrently (default equal to --replicas)'),
  'replicas-max-per-node': str('Maximum number of tasks per node (default 0 = unlimited)'),
  'restart-condition': str('Restart when condition is met ("none", "on-failure", "any") (default "any")'),
  'restart-delay': str('Delay between restart attempts (ns|us|ms|s|m|h) (default 5s)'),
  'restart-max-attempts': str('Maximum number of restarts before giving up'),
  'restart-window': str('Window used to evaluate the restart policy (ns|us|ms|s|m|h)'),
  'update-parallelism': str('Maximum number of tasks updated simultaneously (0 to update all at once) (default 1)'),
  'update-delay': str('Delay between updates (ns|us|ms|s|m|h) (default 0s)'),
  'update-monitor': str('Duration after each task update to monitor for failure (ns|us|ms|s|m|h) (default 5s)'),
  'update-failure-action': str('Action on update failure ("pause", "continue", "rollback") (default "pause")'),
  'update-max-failure-ratio': str('Failure rate to tolerate during an update (default 0)'),
  'update-order': str('Update order ("start-first", "stop-first") (default "stop-first")'),
  'rollback-parallelism': str('Maximum number of tasks rolled back simultaneously (0 to roll back all at once) (default 1)'),
  'rollback-delay': str('Delay between task rollbacks (ns|us|ms|s|m|h) (default 0s)'),
  'rollback-monitor': str('Duration after each task rollback to monitor for failure (ns|us|ms|s|m|h) (default 5s)'),
  'rollback-failure-action': str('Action on rollback failure ("pause", "continue") (default "pause")'),
  'rollback-max-failure-ratio': str('Failure rate to tolerate during a rollback (default 0)'),
  'rollback-order': str('Rollback order ("start-first", "stop-first") (default "stop-first")'),
  'endpoint-mode': str('Endpoint mode (vip or dnsrr) (default "vip")'),
  'with-registry-auth': bool('Send registry authentication details to swarm agents'),
  'health-cmd': str('Command to run to check health'),
  'health-interval': str('Time between running the check (ms|s|m|h)'),
  'health-timeout': str('Maximum time to allow one check to run (ms|s|m|h)'),
  'health-retries': str('Consecutive failures needed to report unhealthy'),
  'health-start-period': str('Start period for the container to initialize before counting retries towards unstable (ms|s|m|h)'),
  'no-healthcheck': bool('Disable any container-specified HEALTHCHECK'),
  tty: toggle('Allocate a pseudo-TTY', 't'),
  'read-only': toggle("Mount the container's root filesystem as read only"),
  init: toggle('Use an init inside each service container to forward signals and reap processes'),
  'stop-signal': str('Signal to stop the container'),
  privileged: toggle('Give the containers extended privileges (tsw extension)'),
  ...fieldCommonFlags,
}

/** Flags of `service create`. */
export const createFlags = {
  ...commonFlags,
  mode: str('Service mode ("replicated", "global", "replicated-job", "global-job") (default "replicated")'),
  name: str('Service name'),
  label: list('Service labels', 'l'),
  'container-label': list('Container labels'),
  env: list('Set environment variables', 'e'),
  mount: list('Attach a filesystem mount to the service'),
  constraint: list('Placement constraints'),
  'placement-pref': list('Add a placement preference'),
  network: list('Network attachments'),
  publish: list('Publish a port as a node port', 'p'),
  sysctl: list('Sysctl options'),
  ulimit: list('Ulimit options'),
  device: list('Add a host device to the containers, /dev/src[:/dev/dst][:rwm] (tsw extension)'),
  ...fieldCreateFlags,
  secret: list('Specify secrets to expose to the service'),
  config: list('Specify configurations to expose to the service'),
}

/** Flags of `service update`. */
export const updateFlags = {
  ...commonFlags,
  image: str('Service image tag'),
  args: str('Service command args'),
  rollback: bool('Rollback to previous specification'),
  force: bool('Force update even if no changes require it'),
  'env-add': list('Add or update an environment variable'),
  'env-rm': list('Remove an environment variable'),
  'label-add': list('Add or update a service label'),
  'label-rm': list('Remove a label by its key'),
  'container-label-add': list('Add or update a container label'),
  'container-label-rm': list('Remove a container label by its key'),
  'constraint-add': list('Add or update a placement constraint'),
  'constraint-rm': list('Remove a constraint'),
  'placement-pref-add': list('Add a placement preference'),
  'placement-pref-rm': list('Remove a placement preference'),
  'publish-add': list('Add or update a published port'),
  'publish-rm': list('Remove a published port by its target port'),
  'mount-add': list('Add or update a mount on a service'),
  'mount-rm': list('Remove a mount by its target path'),
  'network-add': list('Add a network'),
  'network-rm': list('Remove a network'),
  'sysctl-add': list('Add or update a Sysctl option'),
  'sysctl-rm': list('Remove a Sysctl option'),
  'ulimit-add': list('Add or update a ulimit option'),
  'ulimit-rm': list('Remove a ulimit option'),
  'device-add': list('Add a host device, /dev/src[:/dev/dst][:rwm] (tsw extension)'),
  'device-rm': list('Remove a host device by its host path (tsw extension)'),
  ...fieldUpdateFlags,
  'secret-add': list('Add or update a secret on a service'),
  'secret-rm': list('Remove a secret'),
  'config-add': list('Add or update a config file on a service'),
  'config-rm': list('Remove a configuration file'),
}

/** Flags of `service rollback`. */
export const rollbackFlags = {
  detach: commonFlags.detach,
  quiet: commonFlags.quiet,
}

/** What `this.parse` gives for the common flags (undefined: not given). */
export type CommonFlagValues = Partial<InferredFlags<typeof commonFlags>>
/** What `this.parse` gives for `service create`. */
export type CreateFlagValues = Partial<InferredFlags<typeof createFlags>>
/** What `this.parse` gives for `service update`. */
export type UpdateFlagValues = Partial<InferredFlags<typeof updateFlags>>
