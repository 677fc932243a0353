// The labels a classic-swarm container carries on its engine. Pure.

/** A random ID per container, as classic swarm gave every container it created. */
export const LABEL_CLASSIC_ID = 'com.docker.swarm.id'
/**
 * The tsw cluster that created the container. Deliberately not
 * io.tsw.cluster.id: that label marks swarm-mode task containers, which the
 * executor removes when no task owns them.
 */
export const LABEL_CLASSIC_CLUSTER = 'io.tsw.classic.cluster'
