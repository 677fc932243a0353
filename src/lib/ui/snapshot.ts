// What the cluster page shows, read from the store in one go: nodes (its
// columns), services with replicas running/desired and update state, and the
// tasks that are meant to run or still are (its cards).
import { serviceStatus } from '../cluster/services.js'
import type { Store } from '../store/index.js'
import { isTerminal, type Node, type Service, type Task } from '../types/index.js'

export interface PageNode { ID: string; Hostname: string; State: string; Availability: string; Role: string; Leader: boolean }
export interface PageService { ID: string; Name: string; Mode: string; Running: number; Desired: number; UpdateState: string }
export interface PageTask { ID: string; Name: string; ServiceID: string; NodeID: string; State: string; DesiredState: string }
export interface Snapshot { nodes: PageNode[]; services: PageService[]; tasks: PageTask[] }

/** The page's view of the swarm now. */
export async function snapshot(store: Store, leaderId?: string): Promise<Snapshot> {
  const [nodes, services, tasks] = await Promise.all([store.list<Node>('node'), store.list<Service>('service'), store.list<Task>('task')])
  const names = new Map(services.map((s) => [s.ID, s.Spec.Name]))
  const eligible = nodes.filter((n) => n.Status.State === 'ready' && n.Spec.Availability === 'active').length
  return {
    nodes: nodes.map((n) => ({
      ID: n.ID, Hostname: n.Spec.Name || n.Description.Hostname, State: n.Status.State, Availability: n.Spec.Availability,
      Role: n.Spec.Role, Leader: n.ID === leaderId,
    })),
    services: services.map((s) => {
      const st = serviceStatus(s, tasks, eligible)
      return {
        ID: s.ID, Name: s.Spec.Name, Mode: s.Spec.Mode?.Global ? 'global' : 'replicated',
        Running: st.RunningTasks, Desired: st.DesiredTasks, UpdateState: s.UpdateStatus?.State ?? '',
      }
    }),
    // Old tasks kept for history are left out: a card is a task that runs or is meant to.
    tasks: tasks.filter((t) => t.DesiredState === 'running' || !isTerminal(t.Status.State)).map((t) => ({
      ID: t.ID, Name: `${names.get(t.ServiceID) ?? t.ServiceID}.${t.Slot ?? t.NodeID ?? ''}`, ServiceID: t.ServiceID,
      NodeID: t.NodeID ?? '', State: t.Status.State, DesiredState: t.DesiredState,
    })),
  }
}
