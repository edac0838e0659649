/** One orchestrator process of the cluster, as GET /v1/cluster shows it. */
export type ClusterMemberView = {
  id: string;
  host: string;
  pid: number;
  url: string;
  region: string;
  startedAt: string;
  heartbeatAt: string;
  /** Its membership connection is open and it heartbeated lately. */
  alive: boolean;
  /** Shutting down: handing its work over. */
  leaving: boolean;
  /** The process that answered. */
  self: boolean;
  /** The shards of background work it owns (provisioning, volumes, security groups, hosts' reconciliation). */
  shards: number[];
  /** The work only one process runs at a time that it runs (projections, relay). */
  singletons: string[];
};

export type ClusterState = { shards: number; members: ClusterMemberView[] };

export interface ClusterView {
  describe(): Promise<ClusterState>;
}
export const CLUSTER_VIEW = Symbol('ClusterView');
