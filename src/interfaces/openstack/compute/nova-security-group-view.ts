import { SecurityGroupView } from '../../../application/network/ports/network-read-model.port';

/** A security group as Nova's proxy API shows it (ingress rules only, as nova-network had them). */
export const novaSecurityGroup = (g: SecurityGroupView) => ({
  id: g.id,
  name: g.name,
  description: '',
  tenant_id: g.projectId,
  rules: g.rules
    .filter((r) => r.direction === 'ingress')
    .map((r) => ({
      id: r.ruleId,
      parent_group_id: g.id,
      ip_protocol: r.protocol === 'any' ? null : r.protocol,
      from_port: r.portMin ?? -1,
      to_port: r.portMax ?? -1,
      ip_range: r.remoteGroupId ? {} : { cidr: r.cidr },
      group: r.remoteGroupId ? { name: r.remoteGroupId, tenant_id: g.projectId } : {},
    })),
});
