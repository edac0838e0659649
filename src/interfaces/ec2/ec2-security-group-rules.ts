import { RuleRequest } from '../../application/network/security-group-rules';
import { SecurityGroupRule } from '../../domain/network/security-group/security-group.decider';
import { Ec2Ids, ec2IdOf } from './ec2-ids';
import { ec2Invalid, invalidValue } from './ec2-error';
import { Ec2Params } from './ec2-params';
import { XmlValue } from './ec2-xml';

type Protocol = RuleRequest['protocol'];
const PROTOCOLS: Record<string, Protocol> = { tcp: 'tcp', '6': 'tcp', udp: 'udp', '17': 'udp', icmp: 'icmp', '1': 'icmp', '-1': 'any', all: 'any' };

/** One EC2 permission (protocol, ports, sources) as the rules it stands for, one per address range or group. */
async function rulesOfPermission(permission: Ec2Params, direction: 'ingress' | 'egress', ids: Ec2Ids): Promise<RuleRequest[]> {
  const rawProtocol = (permission.get('IpProtocol') ?? '').toLowerCase();
  const protocol = PROTOCOLS[rawProtocol];
  if (!protocol) throw invalidValue('IpProtocol', rawProtocol, 'must be tcp, udp, icmp or -1');
  const from = permission.int('FromPort', -1, 65535);
  const to = permission.int('ToPort', -1, 65535);
  const ported = protocol === 'tcp' || protocol === 'udp';
  const whole = from === undefined || to === undefined || (from === 0 && to === 65535) || from === -1;
  const ports = ported && !whole ? { portMin: from, portMax: to } : { portMin: null, portMax: null };
  const cidrs = [...permission.members('IpRanges').map((r) => r.required('CidrIp')), ...(permission.get('CidrIp') ? [permission.get('CidrIp') as string] : [])];
  const groups = await Promise.all(
    permission
      .members('Groups')
      .map((g) => (g.get('GroupId') ? ids.ours('security-group', g.get('GroupId') as string) : Promise.resolve(g.required('GroupName')))),
  );
  if (cidrs.length === 0 && groups.length === 0) throw ec2Invalid('MissingParameter', 'A permission needs an address range (CidrIp) or a group');
  return [
    ...cidrs.map((cidr): RuleRequest => ({ direction, protocol, ...ports, cidr })),
    ...groups.map((remoteGroupId): RuleRequest => ({ direction, protocol, ...ports, cidr: '0.0.0.0/0', remoteGroupId })),
  ];
}

/** The rules an Authorize/Revoke call names: `IpPermissions.N…`, or the old top-level IpProtocol/FromPort/ToPort/CidrIp. */
export async function rulesOfRequest(params: Ec2Params, direction: 'ingress' | 'egress', ids: Ec2Ids): Promise<RuleRequest[]> {
  const permissions = params.members('IpPermissions');
  if (permissions.length === 0 && params.get('IpProtocol') !== undefined) return rulesOfPermission(params, direction, ids);
  if (permissions.length === 0) throw ec2Invalid('MissingParameter', 'The request must contain the parameter IpPermissions');
  return (await Promise.all(permissions.map((p) => rulesOfPermission(p, direction, ids)))).flat();
}

/** Whether a recorded rule is the one asked for (for Revoke). */
export const sameAsRequested = (rule: SecurityGroupRule, asked: RuleRequest) =>
  rule.direction === asked.direction &&
  rule.protocol === asked.protocol &&
  rule.portMin === (asked.portMin ?? null) &&
  rule.portMax === (asked.portMax ?? null) &&
  (asked.remoteGroupId ? rule.remoteGroupId === asked.remoteGroupId : !rule.remoteGroupId && rule.cidr === asked.cidr);

/** A rule as an `ipPermissions` item. */
export function permissionItem(rule: SecurityGroupRule, ownerId: string): XmlValue {
  const protocol = rule.protocol === 'any' ? '-1' : rule.protocol;
  const ports =
    rule.protocol === 'tcp' || rule.protocol === 'udp'
      ? { fromPort: rule.portMin ?? 0, toPort: rule.portMax ?? 65535 }
      : rule.protocol === 'icmp'
        ? { fromPort: -1, toPort: -1 }
        : {};
  return {
    ipProtocol: protocol,
    ...ports,
    groups: rule.remoteGroupId ? [{ groupId: ec2IdOf('security-group', rule.remoteGroupId), userId: ownerId }] : [],
    ipRanges: rule.remoteGroupId ? [] : [{ cidrIp: rule.cidr }],
    ipv6Ranges: [],
    prefixListIds: [],
  };
}
