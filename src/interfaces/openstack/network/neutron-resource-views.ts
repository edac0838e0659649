import { FloatingIpView, NetworkView, PortView, SecurityGroupView } from '../../../application/network/ports/network-read-model.port';
import { SecurityGroupRule } from '../../../domain/network/security-group/security-group.decider';
import { EXTERNAL_NETWORK_ID, subnetIdFor } from './neutron-views';

const deviceOwner = (p: PortView) => {
  if (p.router) return p.router.role === 'gateway' ? 'network:router_gateway' : 'network:router_interface';
  return p.instanceId ? 'compute:nova' : '';
};

export const neutronPort = (p: PortView, admin: boolean, networks: ReadonlyMap<string, NetworkView>) => ({
  id: p.id,
  name: p.name,
  network_id: p.networkId,
  tenant_id: p.projectId,
  project_id: p.projectId,
  mac_address: p.mac,
  fixed_ips: [{ subnet_id: subnetIdFor(networks, p.networkId, p.ip), ip_address: p.ip }],
  device_id: p.router?.routerId ?? p.instanceId ?? '',
  device_owner: deviceOwner(p),
  status: p.status === 'active' ? 'ACTIVE' : 'DOWN',
  admin_state_up: true,
  security_groups: p.securityGroups,
  port_security_enabled: true,
  description: '',
  tags: [],
  ...(admin ? { 'binding:host_id': p.host ?? '', 'binding:vif_type': 'ovs' } : {}),
});

export const neutronRule = (groupId: string, projectId: string, r: SecurityGroupRule) => ({
  id: r.ruleId,
  security_group_id: groupId,
  direction: r.direction,
  ethertype: 'IPv4',
  protocol: r.protocol === 'any' ? null : r.protocol,
  port_range_min: r.portMin,
  port_range_max: r.portMax,
  remote_ip_prefix: r.remoteGroupId ? null : r.cidr,
  remote_group_id: r.remoteGroupId ?? null,
  tenant_id: projectId,
  project_id: projectId,
  description: '',
});

export const neutronSecurityGroup = (g: SecurityGroupView) => ({
  id: g.id,
  name: g.name,
  description: '',
  tenant_id: g.projectId,
  project_id: g.projectId,
  security_group_rules: g.rules.map((r) => neutronRule(g.id, g.projectId, r)),
  stateful: true,
  tags: [],
  created_at: g.createdAt,
  updated_at: g.createdAt,
  revision_number: 0,
});

export const neutronFloatingIp = (f: FloatingIpView) => ({
  id: f.id,
  floating_ip_address: f.address,
  floating_network_id: EXTERNAL_NETWORK_ID,
  router_id: null,
  port_id: f.portId,
  fixed_ip_address: f.fixedIp,
  status: f.portId ? 'ACTIVE' : 'DOWN',
  tenant_id: f.projectId,
  project_id: f.projectId,
  description: '',
  tags: [],
  port_details: null,
  created_at: f.createdAt,
  updated_at: f.createdAt,
  revision_number: 0,
});
