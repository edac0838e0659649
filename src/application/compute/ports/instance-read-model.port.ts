import { Retrying } from '../../../domain/compute/instance/instance-lifecycle';
import { OperationEvent } from '../../../domain/compute/operation/operation.decider';
import { Page, PageRequest } from '../../shared/paging';

export type InstanceView = {
  id: string;
  name: string;
  projectId: string;
  flavor: { id: string; vcpus: number; ramMiB: number; diskGiB: number };
  image: string;
  keyName: string | null;
  /** Security group ids. */
  securityGroups: string[];
  zone: string | null;
  metadata: Record<string, string>;
  tags: string[];
  state: string;
  taskState: string | null;
  powerState: string;
  host: string | null;
  addresses: Array<{ network: string; ip: string; mac: string; portId: string }>;
  volumes: string[];
  failure: string | null;
  /** For an instance in error: whether everything it held has been given back. */
  released: boolean;
  /** The step failing and being retried, with its last error (see InstanceStepRetrying). */
  retrying: Retrying | null;
  operationId: string;
  createdAt: string;
  updatedAt: string;
};

export type InstanceFilter = {
  state?: string;
  name?: string;
  host?: string;
  network?: string;
  /** Deleted instances are left out unless asked for by state, or deleted at or after this time (EC2 shows them for an hour). */
  deletedSince?: string;
};
export type OperationRecord = {
  id: string;
  projectId: string;
  kind: string;
  instanceIds: string[];
  volumeIds: string[];
  snapshotIds: string[];
  createdAt: string;
};
/** An operation as its OperationStarted event records it: the read model's row, and the log's answer while the row lags. */
export function operationRecordOf(d: OperationEvent['data']): OperationRecord {
  return {
    id: d.operationId,
    projectId: d.projectId,
    kind: d.kind,
    instanceIds: d.instanceIds,
    volumeIds: d.volumeIds ?? [],
    snapshotIds: d.snapshotIds ?? [],
    createdAt: d.at,
  };
}

export interface InstanceReadModel {
  getInstance(id: string): Promise<InstanceView | null>;
  listInstances(projectId: string | null, filter: InstanceFilter, page: PageRequest): Promise<Page<InstanceView>>;
  getInstances(ids: string[]): Promise<InstanceView[]>;
  /** Every instance placed on a host that is not deleted (whatever its state). */
  listOnHost(hostId: string): Promise<InstanceView[]>;
  /** Instances with work left: building, a task running, or an error whose resources are not yet released. */
  listUnfinished(): Promise<string[]>;
  getOperation(id: string): Promise<OperationRecord | null>;
  /** Ports bound to a host (plugged there by a spawn). */
  /** Live ports (bound or not) that carry the group. */
}
export const INSTANCE_READ_MODEL = Symbol('InstanceReadModel');
