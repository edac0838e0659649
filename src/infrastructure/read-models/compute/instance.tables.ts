import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { Retrying } from '../../../domain/compute/instance/instance-lifecycle';
import { PowerState, TaskState, VmState } from '../../../domain/compute/instance/instance-states';

@Index(['projectId', 'id'])
@Index(['operationId'])
@Entity('rm_instances')
export class InstanceRow {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'project_id' }) projectId!: string;
  @Column('text') name!: string;
  @Column('simple-json') flavor!: { id: string; vcpus: number; ramMiB: number; diskGiB: number };
  @Column('text', { name: 'image_id' }) imageId!: string;
  @Column('text', { name: 'vm_state' }) vmState!: VmState;
  @Column('text', { name: 'task_state', nullable: true }) taskState!: TaskState;
  @Column('text', { name: 'power_state' }) powerState!: PowerState;
  @Column('text', { name: 'host_id', nullable: true }) hostId!: string | null;
  @Column('simple-json') addresses!: Array<{ network: string; ip: string; mac: string; portId: string }>;
  @Column('simple-json') networks!: string[];
  @Column('text', { name: 'key_name', nullable: true }) keyName!: string | null;
  @Column('simple-json', { name: 'security_groups' }) securityGroups!: string[];
  @Column('text', { nullable: true }) zone!: string | null;
  @Column('simple-json') metadata!: Record<string, string>;
  @Column('simple-json') tags!: string[];
  @Column('simple-json') volumes!: string[];
  @Column('text', { nullable: true }) failure!: string | null;
  @Column('text', { name: 'operation_id' }) operationId!: string;
  @Column('integer') released!: number;
  /** The step failing and retried, if any (see InstanceStepRetrying). */
  @Column('simple-json', { nullable: true }) retrying!: Retrying | null;
  @Column('text', { name: 'created_at' }) createdAt!: string;
  @Column('text', { name: 'updated_at' }) updatedAt!: string;
}

@Entity('rm_operations')
export class OperationRow {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'project_id' }) projectId!: string;
  @Column('text') kind!: string;
  @Column('simple-json', { name: 'instance_ids' }) instanceIds!: string[];
  @Column('simple-json', { name: 'volume_ids' }) volumeIds!: string[];
  @Column('simple-json', { name: 'snapshot_ids' }) snapshotIds!: string[];
  @Column('text', { name: 'created_at' }) createdAt!: string;
}

export const INSTANCE_TABLES = [InstanceRow, OperationRow];
