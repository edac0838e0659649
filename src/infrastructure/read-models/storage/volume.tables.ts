import { SnapshotStatus, VolumeStatus } from '../../../domain/storage/volume/volume.decider';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Index(['projectId', 'id'])
@Index(['instanceId'])
@Entity('rm_volumes')
export class VolumeRow {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'project_id' }) projectId!: string;
  @Column('text') name!: string;
  @Column('integer', { name: 'size_gib' }) sizeGiB!: number;
  @Column('text') status!: VolumeStatus;
  @Column('text', { name: 'instance_id', nullable: true }) instanceId!: string | null;
  @Column('text', { nullable: true }) device!: string | null;
  @Column('text', { name: 'boot_for', nullable: true }) bootFor!: string | null;
  @Column('text', { name: 'source_image_id', nullable: true }) sourceImageId!: string | null;
  @Column('text') description!: string;
  @Column('simple-json') metadata!: Record<string, string>;
  @Column('text', { name: 'created_at' }) createdAt!: string;
  @Column('text', { name: 'updated_at' }) updatedAt!: string;
}

@Index(['volumeId', 'id'])
@Index(['projectId', 'id'])
@Index(['status'])
@Entity('rm_snapshots')
export class SnapshotRow {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'volume_id' }) volumeId!: string;
  @Column('text', { name: 'project_id' }) projectId!: string;
  @Column('text') name!: string;
  @Column('integer', { name: 'size_gib' }) sizeGiB!: number;
  /** As on the volume's stream, and `deleted` once gone (the row stays). */
  @Column('text') status!: SnapshotStatus | 'deleted';
  @Column('text', { nullable: true }) failure!: string | null;
  @Column('simple-json') metadata!: Record<string, string>;
  @Column('text', { name: 'created_at' }) createdAt!: string;
  @Column('text', { name: 'updated_at' }) updatedAt!: string;
}

export const VOLUME_TABLES = [VolumeRow, SnapshotRow];
