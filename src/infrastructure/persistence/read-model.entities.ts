import { Column, Entity, PrimaryColumn } from 'typeorm';
import { SecurityGroupRule } from '../../domain/network/security-group/security-group.decider';

/**
 * Read-model tables (TypeORM entities). Their DDL lives in migrations.ts; JSON is kept as text so
 * the same tables serve SQLite and PostgreSQL.
 */
@Entity('rm_checkpoints')
export class CheckpointRow {
  @PrimaryColumn('text') name!: string;
  @Column('bigint') position!: number;
}

@Entity('rm_projects')
export class ProjectRow {
  @PrimaryColumn('text') id!: string;
  @Column('text') name!: string;
  @Column('simple-json') quotas!: Record<string, number>;
  @Column('simple-json') usage!: Record<string, number>;
  @Column('text', { name: 'created_at' }) createdAt!: string;
  @Column('text', { name: 'updated_at' }) updatedAt!: string;
}

@Entity('rm_users')
export class UserRow {
  @PrimaryColumn('text') id!: string;
  @Column('text') name!: string;
  @Column('text') status!: string;
  @Column('text', { name: 'password_hash' }) passwordHash!: string;
  @Column('text', { name: 'created_at' }) createdAt!: string;
  @Column('text', { name: 'updated_at' }) updatedAt!: string;
}

@Entity('rm_user_roles')
export class UserRoleRow {
  @PrimaryColumn('text', { name: 'user_id' }) userId!: string;
  @PrimaryColumn('text', { name: 'project_id' }) projectId!: string;
  @Column('text') role!: string;
}

@Entity('rm_tokens')
export class TokenRow {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'user_id' }) userId!: string;
  @Column('text', { name: 'project_id' }) projectId!: string;
  @Column('text', { name: 'secret_hash' }) secretHash!: string;
  @Column('text', { name: 'expires_at' }) expiresAt!: string;
  @Column('integer') revoked!: number;
  @Column('text', { name: 'issued_at' }) issuedAt!: string;
}

@Entity('rm_access_keys')
export class AccessKeyRow {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'user_id' }) userId!: string;
  @Column('text', { name: 'project_id' }) projectId!: string;
  @Column('text', { name: 'secret_ciphertext' }) secretCiphertext!: string;
  @Column('text') status!: string;
  @Column('text', { name: 'created_at' }) createdAt!: string;
}

@Entity('rm_flavors')
export class FlavorRow {
  @PrimaryColumn('text') id!: string;
  @Column('text') name!: string;
  @Column('text', { name: 'name_key' }) nameKey!: string;
  @Column('integer') vcpus!: number;
  @Column('integer', { name: 'ram_mib' }) ramMiB!: number;
  @Column('integer', { name: 'disk_gib' }) diskGiB!: number;
  @Column('text', { name: 'created_at' }) createdAt!: string;
}

@Entity('rm_images')
export class ImageRow {
  @PrimaryColumn('text') id!: string;
  @Column('text') name!: string;
  @Column('text', { name: 'name_key' }) nameKey!: string;
  @Column('text') os!: string;
  @Column('integer', { name: 'min_disk_gib' }) minDiskGiB!: number;
  @Column('text') source!: string;
  @Column('text', { name: 'created_at' }) createdAt!: string;
}

@Entity('rm_keypairs')
export class KeyPairRow {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'project_id' }) projectId!: string;
  @Column('text') name!: string;
  @Column('text', { name: 'name_key' }) nameKey!: string;
  @Column('text', { name: 'public_key' }) publicKey!: string;
  @Column('text') fingerprint!: string;
  @Column('text', { name: 'created_at' }) createdAt!: string;
}

@Entity('rm_hosts')
export class HostRow {
  @PrimaryColumn('text') id!: string;
  @Column('text') name!: string;
  @Column('text', { name: 'name_key' }) nameKey!: string;
  @Column('text') driver!: string;
  @Column('text', { nullable: true }) uri!: string | null;
  @Column('text') zone!: string;
  @Column('integer') enabled!: number;
  @Column('simple-json') capacity!: { vcpus: number; ramMiB: number; diskGiB: number };
  @Column('simple-json') ratios!: { cpu: number; ram: number; disk: number };
  @Column('simple-json') used!: { vcpus: number; ramMiB: number; diskGiB: number };
  @Column('text', { name: 'agent_id', nullable: true }) agentId!: string | null;
  @Column('text', { name: 'created_at' }) createdAt!: string;
}

@Entity('rm_networks')
export class NetworkRow {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'project_id' }) projectId!: string;
  @Column('text') name!: string;
  @Column('text', { name: 'name_key' }) nameKey!: string;
  @Column('text') cidr!: string;
  @Column('text') gateway!: string;
  @Column('integer') vlan!: number;
  @Column('integer', { name: 'used_ips' }) usedIps!: number;
  @Column('text', { name: 'created_at' }) createdAt!: string;
}

@Entity('rm_security_groups')
export class SecurityGroupRow {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'project_id' }) projectId!: string;
  @Column('text') name!: string;
  @Column('text', { name: 'name_key' }) nameKey!: string;
  @Column('simple-json') rules!: SecurityGroupRule[];
  @Column('text', { name: 'created_at' }) createdAt!: string;
}

@Entity('rm_floating_ips')
export class FloatingIpRow {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'project_id' }) projectId!: string;
  @Column('text') address!: string;
  @Column('text', { name: 'instance_id', nullable: true }) instanceId!: string | null;
  @Column('text', { name: 'port_id', nullable: true }) portId!: string | null;
  @Column('text', { name: 'fixed_ip', nullable: true }) fixedIp!: string | null;
  @Column('text', { name: 'created_at' }) createdAt!: string;
}

export const COMPUTE_NETWORK_ENTITIES = [FlavorRow, ImageRow, KeyPairRow, HostRow, NetworkRow, SecurityGroupRow, FloatingIpRow];

@Entity('rm_instances')
export class InstanceRow {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'project_id' }) projectId!: string;
  @Column('text') name!: string;
  @Column('simple-json') flavor!: { id: string; vcpus: number; ramMiB: number; diskGiB: number };
  @Column('text', { name: 'image_id' }) imageId!: string;
  @Column('text', { name: 'vm_state' }) vmState!: string;
  @Column('text', { name: 'task_state', nullable: true }) taskState!: string | null;
  @Column('text', { name: 'power_state' }) powerState!: string;
  @Column('text', { name: 'host_id', nullable: true }) hostId!: string | null;
  @Column('simple-json') addresses!: Array<{ network: string; ip: string; mac: string; portId: string }>;
  @Column('simple-json') networks!: string[];
  @Column('simple-json') volumes!: string[];
  @Column('text', { nullable: true }) failure!: string | null;
  @Column('text', { name: 'operation_id' }) operationId!: string;
  @Column('integer') released!: number;
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

@Entity('rm_ports')
export class PortRow {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'project_id' }) projectId!: string;
  @Column('text', { name: 'network_id' }) networkId!: string;
  @Column('text') mac!: string;
  @Column('text') ip!: string;
  @Column('text', { name: 'instance_id', nullable: true }) instanceId!: string | null;
  @Column('text', { name: 'host_id', nullable: true }) hostId!: string | null;
  @Column('text') status!: string;
  @Column('simple-json', { name: 'security_groups' }) securityGroups!: string[];
}

@Entity('rm_volumes')
export class VolumeRow {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'project_id' }) projectId!: string;
  @Column('text') name!: string;
  @Column('integer', { name: 'size_gib' }) sizeGiB!: number;
  @Column('text') status!: string;
  @Column('text', { name: 'instance_id', nullable: true }) instanceId!: string | null;
  @Column('text', { nullable: true }) device!: string | null;
  @Column('text', { name: 'boot_for', nullable: true }) bootFor!: string | null;
  @Column('text', { name: 'created_at' }) createdAt!: string;
  @Column('text', { name: 'updated_at' }) updatedAt!: string;
}

@Entity('rm_snapshots')
export class SnapshotRow {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'volume_id' }) volumeId!: string;
  @Column('text', { name: 'project_id' }) projectId!: string;
  @Column('text') name!: string;
  @Column('integer', { name: 'size_gib' }) sizeGiB!: number;
  @Column('text') status!: string;
  @Column('text', { nullable: true }) failure!: string | null;
  @Column('text', { name: 'created_at' }) createdAt!: string;
  @Column('text', { name: 'updated_at' }) updatedAt!: string;
}

export const READ_MODEL_ENTITIES = [
  SnapshotRow,
  CheckpointRow,
  ProjectRow,
  UserRow,
  UserRoleRow,
  TokenRow,
  AccessKeyRow,
  ...COMPUTE_NETWORK_ENTITIES,
  InstanceRow,
  OperationRow,
  PortRow,
  VolumeRow,
];
