import { EventCore } from '../../../application/ports/event-store.port';
import { nameKey } from '../../../application/shared/unique-names';
import { NetworkEvent } from '../../../domain/network/network/network.decider';
import { FloatingIpEvent } from '../../../domain/network/floating-ip/floating-ip.decider';
import { SecurityGroupEvent } from '../../../domain/network/security-group/security-group.decider';
import { FloatingIpRow, NetworkRow, PortRow, SecurityGroupRow } from './network.tables';
import { PortEvent } from '../../../domain/network/port/port.decider';
import { Projection } from '../../projections/projection';
import { RowFold } from '../../projections/row-fold';
import { RowFolds } from '../../projections/row-folds';

const TYPES = new Set<string>([
  'NetworkCreated',
  'SubnetCreated',
  'SubnetDeleted',
  'IpAllocated',
  'IpReleased',
  'NetworkDeleted',
  'SecurityGroupCreated',
  'SecurityGroupRuleAdded',
  'SecurityGroupRuleRemoved',
  'SecurityGroupMetadataChanged',
  'SecurityGroupDeleted',
  'FloatingIpAllocated',
  'FloatingIpAssociated',
  'FloatingIpDisassociated',
  'FloatingIpReleased',
]);

type NetworkSideEvent = NetworkEvent | SecurityGroupEvent | FloatingIpEvent;
type Folds = { networks: RowFold<NetworkRow>; groups: RowFold<SecurityGroupRow>; floatingIps: RowFold<FloatingIpRow> };

const PORT_TYPES = new Set<string>(['PortCreated', 'PortBound', 'PortAttached', 'PortDetached', 'PortDeleted', 'PortSecurityGroupsChanged']);
const NETWORK_TYPES = new Set<string>(['NetworkCreated', 'SubnetCreated', 'SubnetDeleted', 'IpAllocated', 'IpReleased', 'NetworkDeleted']);
const GROUP_TYPES = new Set<string>([
  'SecurityGroupCreated',
  'SecurityGroupRuleAdded',
  'SecurityGroupRuleRemoved',
  'SecurityGroupMetadataChanged',
  'SecurityGroupDeleted',
]);
const FLOATING_IP_TYPES = new Set<string>(['FloatingIpAllocated', 'FloatingIpAssociated', 'FloatingIpDisassociated', 'FloatingIpReleased']);
const CREATIONS = new Set<string>(['NetworkCreated', 'SecurityGroupCreated', 'FloatingIpAllocated']);
const creates = (e: NetworkSideEvent) => CREATIONS.has(e.type);

/** Networks with the number of addresses in use, security groups with their rules, floating IPs with their association, ports; each table folded in memory (see RowFold). */
export const networkProjection: Projection = {
  name: 'network',
  tables: ['rm_networks', 'rm_security_groups', 'rm_floating_ips', 'rm_ports'],
  reads: { types: [...TYPES, ...PORT_TYPES], prefixes: [] },
  async apply(events: readonly EventCore[], folds: RowFolds) {
    await applyPorts(
      events.filter((e) => PORT_TYPES.has(e.type)),
      folds,
    );
    const networkEvents = events.filter((e) => TYPES.has(e.type)).map((e) => ({ type: e.type, data: e.data }) as NetworkSideEvent);
    if (networkEvents.length === 0) return;
    const of = <E extends NetworkSideEvent>(types: ReadonlySet<string>) => networkEvents.filter((e): e is E => types.has(e.type));
    const tables: Folds = {
      networks: await folds.of(NetworkRow).loadFor(of<NetworkEvent>(NETWORK_TYPES), (e) => e.data.networkId, creates),
      groups: await folds.of(SecurityGroupRow).loadFor(of<SecurityGroupEvent>(GROUP_TYPES), (e) => e.data.securityGroupId, creates),
      floatingIps: await folds.of(FloatingIpRow).loadFor(of<FloatingIpEvent>(FLOATING_IP_TYPES), (e) => e.data.floatingIpId, creates),
    };
    for (const event of networkEvents) applyOne(event, tables);
  },
};

function applyOne(event: NetworkSideEvent, { networks, groups, floatingIps }: Folds): void {
  switch (event.type) {
    case 'NetworkCreated': {
      const { networkId, projectId, name, vlan, external, shared, subnets, at } = event.data;
      const records = subnets.map((s) => ({ ...s, usedIps: 0, createdAt: at }));
      networks.put({
        id: networkId,
        projectId,
        name,
        nameKey: nameKey(name),
        vlan,
        external: +external,
        shared: +shared,
        subnets: records,
        usedIps: 0,
        createdAt: at,
      });
      return;
    }
    case 'SubnetCreated':
      networks.update(event.data.networkId, (row) => ({ ...row, subnets: [...row.subnets, { ...event.data.subnet, usedIps: 0, createdAt: event.data.at }] }));
      return;
    case 'SubnetDeleted':
      networks.update(event.data.networkId, (row) => ({ ...row, subnets: row.subnets.filter((s) => s.subnetId !== event.data.subnetId) }));
      return;
    case 'IpAllocated':
    case 'IpReleased': {
      const delta = event.type === 'IpAllocated' ? 1 : -1;
      const { networkId, subnetId } = event.data;
      networks.update(networkId, (row) => ({
        ...row,
        usedIps: row.usedIps + delta,
        subnets: row.subnets.map((s) => (s.subnetId === subnetId ? { ...s, usedIps: s.usedIps + delta } : s)),
      }));
      return;
    }
    case 'NetworkDeleted':
      networks.remove(event.data.networkId);
      return;
    case 'SecurityGroupCreated': {
      const { securityGroupId, projectId, name, rules, at } = event.data;
      groups.put({ id: securityGroupId, projectId, name, nameKey: nameKey(name), rules, metadata: {}, createdAt: at });
      return;
    }
    case 'SecurityGroupRuleAdded':
      groups.update(event.data.securityGroupId, (row) => ({ ...row, rules: [...row.rules, event.data.rule] }));
      return;
    case 'SecurityGroupRuleRemoved':
      groups.update(event.data.securityGroupId, (row) => ({ ...row, rules: row.rules.filter((r) => r.ruleId !== event.data.ruleId) }));
      return;
    case 'SecurityGroupMetadataChanged':
      groups.update(event.data.securityGroupId, (row) => ({ ...row, metadata: { ...event.data.metadata } }));
      return;
    case 'SecurityGroupDeleted':
      groups.remove(event.data.securityGroupId);
      return;
    case 'FloatingIpAllocated': {
      const { floatingIpId, projectId, address, at } = event.data;
      floatingIps.put({ id: floatingIpId, projectId, address, instanceId: null, portId: null, fixedIp: null, createdAt: at });
      return;
    }
    case 'FloatingIpAssociated': {
      const { floatingIpId, instanceId, portId, fixedIp } = event.data;
      floatingIps.update(floatingIpId, (row) => ({ ...row, instanceId, portId, fixedIp }));
      return;
    }
    case 'FloatingIpDisassociated':
      floatingIps.update(event.data.floatingIpId, (row) => ({ ...row, instanceId: null, portId: null, fixedIp: null }));
      return;
    case 'FloatingIpReleased':
      floatingIps.remove(event.data.floatingIpId);
      return;
  }
}

async function applyPorts(events: readonly EventCore[], folds: RowFolds): Promise<void> {
  if (events.length === 0) return;
  const rows = await folds.of(PortRow).loadFor(
    events,
    (e) => (e.data as { portId: string }).portId,
    (e) => e.type === 'PortCreated',
  );
  for (const recorded of events) {
    const event = { type: recorded.type, data: recorded.data } as PortEvent;
    switch (event.type) {
      case 'PortCreated': {
        const { portId, projectId, networkId, mac, ip, instanceId, securityGroups, router = null, name = '' } = event.data;
        rows.put({ id: portId, projectId, networkId, name, mac, ip, instanceId, hostId: null, status: router ? 'active' : 'down', securityGroups, router });
        break;
      }
      case 'PortBound':
        rows.update(event.data.portId, (row) => ({ ...row, instanceId: event.data.instanceId, hostId: event.data.hostId, status: 'active' }));
        break;
      case 'PortAttached':
        rows.update(event.data.portId, (row) => ({ ...row, instanceId: event.data.instanceId }));
        break;
      case 'PortDetached':
        rows.update(event.data.portId, (row) => ({ ...row, instanceId: null, hostId: null, status: 'down' }));
        break;
      case 'PortDeleted':
        rows.remove(event.data.portId);
        break;
      case 'PortSecurityGroupsChanged':
        rows.update(event.data.portId, (row) => ({ ...row, securityGroups: event.data.securityGroups }));
        break;
    }
  }
}
