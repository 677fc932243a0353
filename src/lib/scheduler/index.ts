// Package scheduler: the scheduler's decisions, swarmkit-style and pure.
//
// scheduleTasks takes the nodes, every live task and the pending tasks, and
// returns which node each pending task goes to, or why none fits, in the
// words `service ps` shows ("no suitable node (insufficient resources on 3
// nodes)"). Each check is a Filter (setTask/check/explain); a Pipeline chains
// them and counts failures; NodeInfo is the scheduler's view of a node.
// Reading the store and writing the decisions back is the caller's job.

export {
  parseConstraints, matchConstraints, constraintMatcher, nodeAttribute, attributeReader, type Constraint,
} from './constraints.js'
export {
  defaultFilters, ConstraintFilter, MaxReplicasFilter, PlatformFilter, PortFilter, ReadyFilter, ResourceFilter,
  type Filter,
} from './filters/index.js'
export { NodeInfo } from './nodeinfo.js'
export { Pipeline, noSuitableNode } from './pipeline.js'
export { hostPorts, taskHostPorts, hostPortKey, type HostPort, type SchedTask } from './sched-task.js'
export { SpreadGroups } from './spread.js'
export { scheduleTasks, type ScheduleInput, type ScheduleResult } from './scheduler.js'
