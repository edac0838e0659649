import { Column, Entity, PrimaryColumn, Unique } from 'typeorm';

@Unique(['nameKey'])
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

@Unique(['nameKey'])
@Entity('rm_images')
export class ImageRow {
  @PrimaryColumn('text') id!: string;
  @Column('text') name!: string;
  @Column('text', { name: 'name_key' }) nameKey!: string;
  @Column('text') os!: string;
  @Column('integer', { name: 'min_disk_gib' }) minDiskGiB!: number;
  @Column('text') source!: string;
  @Column('text') status!: 'queued' | 'active';
  @Column('text', { name: 'disk_format' }) diskFormat!: string;
  @Column('text', { name: 'container_format' }) containerFormat!: string;
  @Column('bigint', { name: 'size_bytes', nullable: true }) sizeBytes!: number | null;
  @Column('text', { nullable: true }) checksum!: string | null;
  @Column('text', { name: 'hash_algo', nullable: true }) hashAlgo!: string | null;
  @Column('text', { name: 'hash_value', nullable: true }) hashValue!: string | null;
  @Column('simple-json') tags!: string[];
  @Column('text', { name: 'created_at' }) createdAt!: string;
  @Column('text', { name: 'updated_at' }) updatedAt!: string;
}

@Unique(['projectId', 'nameKey'])
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

@Unique(['nameKey'])
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

export const COMPUTE_TABLES = [FlavorRow, ImageRow, KeyPairRow, HostRow];
