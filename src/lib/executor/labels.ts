// The labels that tie a container on an engine back to its task, service, node
// and cluster (docker swarm's names, plus tsw's cluster id). Pure.

/** Docker swarm's prefix for its system labels on task containers. */
export const SWARM_LABEL_PREFIX = 'com.docker.swarm'
/** Marks a container as a swarm task (empty value), as docker swarm does; `docker ps --filter is-task=true` reads it. */
export const LABEL_TASK = 'com.docker.swarm.task'
/** The task's ID. */
export const LABEL_TASK_ID = 'com.docker.swarm.task.id'
/** The task's name, which is also the container's name (`web.1.<taskid>`). */
export const LABEL_TASK_NAME = 'com.docker.swarm.task.name'
/** The service's ID. */
export const LABEL_SERVICE_ID = 'com.docker.swarm.service.id'
/** The service's name. */
export const LABEL_SERVICE_NAME = 'com.docker.swarm.service.name'
/** The swarm node (not the engine) the task is assigned to. */
export const LABEL_NODE_ID = 'com.docker.swarm.node.id'
/** The tsw cluster that owns the container: two swarms sharing an engine never touch each other's containers. */
export const LABEL_CLUSTER_ID = 'io.tsw.cluster.id'

type Labels = Record<string, string> | null | undefined

/** The task ID a container's labels name, if any. */
export function taskIdOfContainer(labels: Labels): string | undefined {
  return labels?.[LABEL_TASK_ID] || undefined
}

/** The service ID a container's labels name, if any. */
export function serviceIdOfContainer(labels: Labels): string | undefined {
  return labels?.[LABEL_SERVICE_ID] || undefined
}

/** The node ID a container's labels name, if any. */
export function nodeIdOfContainer(labels: Labels): string | undefined {
  return labels?.[LABEL_NODE_ID] || undefined
}

/** The cluster ID a container's labels name, if any. */
export function clusterIdOfContainer(labels: Labels): string | undefined {
  return labels?.[LABEL_CLUSTER_ID] || undefined
}

/** Whether a container with these labels is a task container of cluster clusterId. */
export function belongsToCluster(labels: Labels, clusterId: string): boolean {
  return clusterIdOfContainer(labels) === clusterId && taskIdOfContainer(labels) !== undefined
}
