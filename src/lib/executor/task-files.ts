// A task's secrets and configs as files in its container (docker's
// /run/secrets/<target> and config targets, default /<name>), on plain engines.
//
// Secrets never touch an engine's disk. They go on a tmpfs: an engine volume of
// the local driver with type tmpfs, one per task (tsw-secrets.<task>), which the
// engine mounts while a container uses it and unmounts (the data gone) when the
// last one stops. A short-lived filler container of the network helper image
// keeps it mounted while the files are put into it (PUT /archive, streamed into
// the tmpfs); the task's container then mounts it read-only at /run/secrets, the
// filler goes, and the volume is removed with the task's container. Configs are
// not secret: they are put into the created container's filesystem before it starts.
import type Dockerode from 'dockerode'
import { FailedPreconditionError } from '../errors/index.js'
import { openPayload } from '../secrets/seal.js'
import type { Store } from '../store/index.js'
import type { ReferenceFileTarget, Secret, Task } from '../types/index.js'
import type { ContainerConfig } from './container-config.js'
import { tarArchive, type TarFile } from './tar.js'

export const SECRETS_DIR = '/run/secrets'

/** The engine volume that holds a task's secrets. */
export const secretsVolume = (taskId: string): string => `tsw-secrets.${taskId}`
const fillerName = (taskId: string): string => `tsw-secrets-fill.${taskId}`
/** Labels of the volume and filler: not the task labels, so that no pass takes the filler for the task's container. */
export const LABEL_SECRETS_CLUSTER = 'io.tsw.secrets.cluster'
export const LABEL_SECRETS_TASK = 'io.tsw.secrets.task'

/** The files of a task's secrets (relative to /run/secrets) and configs (relative to /). */
export interface TaskFiles {
  secrets: TarFile[]
  configs: TarFile[]
}

function file(name: string, data: Buffer, target: ReferenceFileTarget | undefined): TarFile {
  return { name, data, uid: Number(target?.UID ?? 0) || 0, gid: Number(target?.GID ?? 0) || 0, mode: target?.Mode ?? 0o444 }
}

/** The task's files, secrets opened from the store. Throws FailedPreconditionError when one was removed. */
export async function taskFiles(store: Store, task: Task): Promise<TaskFiles> {
  const c = task.Spec.ContainerSpec
  const secrets: TarFile[] = []
  for (const r of c.Secrets ?? []) {
    const s = await store.get<Secret>('secret', r.SecretID)
    if (!s) throw new FailedPreconditionError(`secret ${r.SecretName} not found: it was removed after the task was made`)
    const target = (r.File?.Name ?? r.SecretName).replace(/^\/run\/secrets\//, '')
    secrets.push(file(target, Buffer.from(openPayload(store, s.ID, s.Spec.Data ?? ''), 'base64'), r.File))
  }
  const configs: TarFile[] = []
  for (const r of c.Configs ?? []) {
    const s = await store.get<Secret>('config', r.ConfigID)
    if (!s) throw new FailedPreconditionError(`config ${r.ConfigName} not found: it was removed after the task was made`)
    const target = r.File?.Name ?? r.ConfigName
    configs.push(file(target.replace(/^\/+/, ''), Buffer.from(s.Spec.Data ?? '', 'base64'), r.File))
  }
  return { secrets, configs }
}

/** The container config with the task's secrets volume at /run/secrets, read-only. */
export function withSecretsMount(config: ContainerConfig, taskId: string): ContainerConfig {
  const hc = (config.HostConfig ??= {})
  hc.Mounts = [...(hc.Mounts ?? []), { Type: 'volume', Source: secretsVolume(taskId), Target: SECRETS_DIR, ReadOnly: true } as Dockerode.MountSettings]
  return config
}

/**
 * Puts a task's secrets on its tmpfs volume through a filler container of
 * `helperImage`. Returns the call that removes the filler: make it once the
 * task's container runs (it then holds the tmpfs mounted).
 */
export async function stageSecrets(docker: Dockerode, helperImage: string, clusterId: string, taskId: string, files: TarFile[]): Promise<() => Promise<void>> {
  const labels = { [LABEL_SECRETS_CLUSTER]: clusterId, [LABEL_SECRETS_TASK]: taskId }
  const total = files.reduce((n, f) => n + f.data.length, 0)
  await docker.createVolume({
    Name: secretsVolume(taskId), Driver: 'local', Labels: labels,
    DriverOpts: { type: 'tmpfs', device: 'tmpfs', o: `size=${total + (1 << 20)},mode=0755` },
  } as never)
  await removeFiller(docker, taskId) // left by an attempt that did not finish
  const filler = await docker.createContainer({
    // Ends (and goes, AutoRemove) by itself should this manager die before removing it.
    name: fillerName(taskId), Image: helperImage, Cmd: ['sleep', '300'], Labels: labels,
    HostConfig: { NetworkMode: 'none', AutoRemove: true, Mounts: [{ Type: 'volume', Source: secretsVolume(taskId), Target: '/s' }] },
  } as Dockerode.ContainerCreateOptions)
  await filler.start()
  await filler.putArchive(tarArchive(files), { path: '/s' })
  return () => removeFiller(docker, taskId)
}

async function removeFiller(docker: Dockerode, taskId: string): Promise<void> {
  await docker.getContainer(fillerName(taskId)).remove({ force: true }).catch((err: { statusCode?: number }) => {
    // 409: it is going already (AutoRemove).
    if (err.statusCode !== 404 && err.statusCode !== 409) throw err
  })
}

/** Removes a task's filler and secrets volume, if any (call once its container is gone). */
export async function dropSecrets(docker: Dockerode, taskId: string): Promise<void> {
  await removeFiller(docker, taskId)
  await docker.getVolume(secretsVolume(taskId)).remove().catch((err: { statusCode?: number }) => {
    if (err.statusCode !== 404) throw err
  })
}

/** Puts a task's config files into its created (not yet started) container. */
export async function putConfigs(docker: Dockerode, containerId: string, files: TarFile[]): Promise<void> {
  await docker.getContainer(containerId).putArchive(tarArchive(files), { path: '/' })
}
