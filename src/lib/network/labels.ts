// Labels tsw puts on what it makes on engines for overlay networks.

/** On engine bridge networks: the swarm (cluster ID) they belong to. */
export const LABEL_NET_CLUSTER = 'io.tsw.network.cluster'
/** On engine bridge networks: the overlay network's ID. */
export const LABEL_NET_ID = 'io.tsw.network.id'
/** On the network helper container: the swarm it works for. */
export const LABEL_HELPER = 'io.tsw.network.helper'
