import { RouterRow } from './router.projection';
import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';
import { SubnetRecord } from '../../../application/network/ports/network-read-model.port';
import { PortOfRouter } from '../../../domain/network/port/port.decider';
import { SecurityGroupRule } from '../../../domain/network/security-group/security-group.decider';

@Unique(['projectId', 'nameKey'])
@Entity('rm_networks')
export class NetworkRow {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'project_id' }) projectId!: string;
  @Column('text') name!: string;
  @Column('text', { name: 'name_key' }) nameKey!: string;
  @Column('integer') vlan!: number;
  @Column('integer') external!: number;
  @Column('integer') shared!: number;
  /** The network's subnets as recorded, each with its addresses in use (a network has few). */
  @Column('simple-json') subnets!: SubnetRecord[];
  @Column('integer', { name: 'used_ips' }) usedIps!: number;
  @Column('text', { name: 'created_at' }) createdAt!: string;
}

@Index(['projectId', 'nameKey'])
@Entity('rm_security_groups')
export class SecurityGroupRow {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'project_id' }) projectId!: string;
  @Column('text') name!: string;
  @Column('text', { name: 'name_key' }) nameKey!: string;
  @Column('simple-json') rules!: SecurityGroupRule[];
  @Column('simple-json') metadata!: Record<string, string>;
  @Column('text', { name: 'created_at' }) createdAt!: string;
}

@Index(['projectId', 'id'])
@Index(['instanceId'])
@Index(['portId'])
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

@Index(['hostId'])
@Index(['networkId'])
@Entity('rm_ports')
export class PortRow {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'project_id' }) projectId!: string;
  @Column('text', { name: 'network_id' }) networkId!: string;
  @Column('text') name!: string;
  @Column('text') mac!: string;
  @Column('text') ip!: string;
  @Column('text', { name: 'instance_id', nullable: true }) instanceId!: string | null;
  @Column('text', { name: 'host_id', nullable: true }) hostId!: string | null;
  @Column('text') status!: string;
  @Column('simple-json', { name: 'security_groups' }) securityGroups!: string[];
  @Column('simple-json', { nullable: true }) router!: PortOfRouter | null;
}

export const NETWORK_TABLES = [NetworkRow, SecurityGroupRow, FloatingIpRow, PortRow, RouterRow];
