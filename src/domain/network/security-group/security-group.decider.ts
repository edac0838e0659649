import { Decider, DomainEvent, assertNever } from '../../shared/decider';
import { conflict, invalid } from '../../shared/domain-error';
import { Metadata, MetadataChange, metadataAfter, sameMetadata } from '../../shared/metadata';
import { parseCidr } from '../network/ipv4';

export type Protocol = 'tcp' | 'udp' | 'icmp' | 'any';
/** What a switch enforces: traffic allowed in one direction; everything else into a port from outside its network is dropped. */
export type SecurityRule = { direction: 'ingress' | 'egress'; protocol: Protocol; portMin: number | null; portMax: number | null; cidr: string };
/**
 * A group's rule: from (ingress) or to (egress) an address range, or (`remoteGroupId`) the addresses
 * of the ports in another group, as they are at any moment (its `cidr` is then 0.0.0.0/0, unused).
 */
export type SecurityGroupRule = SecurityRule & { ruleId: string; remoteGroupId?: string };

export type SecurityGroupEvent =
  | DomainEvent<'SecurityGroupCreated', { securityGroupId: string; projectId: string; name: string; rules: SecurityGroupRule[]; at: string }>
  | DomainEvent<'SecurityGroupRuleAdded', { securityGroupId: string; rule: SecurityGroupRule; at: string }>
  | DomainEvent<'SecurityGroupRuleRemoved', { securityGroupId: string; ruleId: string; at: string }>
  /** The group's metadata as it now is (EC2's tags). */
  | DomainEvent<'SecurityGroupMetadataChanged', { securityGroupId: string; metadata: Metadata; at: string }>
  | DomainEvent<'SecurityGroupDeleted', { securityGroupId: string; projectId: string; name: string; at: string }>;

export type SecurityGroupCommand =
  | { type: 'CreateSecurityGroup'; securityGroupId: string; projectId: string; name: string; rules: SecurityGroupRule[]; now: string }
  | { type: 'AddRule'; rule: SecurityGroupRule; now: string }
  | { type: 'RemoveRule'; ruleId: string; now: string }
  | { type: 'ChangeMetadata'; change: MetadataChange; now: string }
  | { type: 'DeleteSecurityGroup'; now: string };

export type SecurityGroupState =
  | { status: 'absent' | 'deleted' }
  | { status: 'active'; securityGroupId: string; projectId: string; name: string; rules: SecurityGroupRule[]; metadata: Metadata };

export const securityGroupStream = (securityGroupId: string) => `security-group-${securityGroupId}`;

export const MAX_RULES_PER_GROUP = 100;
const PROTOCOLS: readonly Protocol[] = ['tcp', 'udp', 'icmp', 'any'];
const isPort = (n: unknown) => Number.isInteger(n) && (n as number) >= 1 && (n as number) <= 65535;

/** A rule as the switch will enforce it, or a 400 naming the field that is wrong. Ports only for tcp and udp. */
export function normalizeRule(rule: SecurityGroupRule, field: string): SecurityGroupRule {
  if (rule.direction !== 'ingress' && rule.direction !== 'egress')
    throw invalid('InvalidRule', 'direction must be ingress or egress', [{ field: `${field}.direction`, message: 'ingress or egress' }]);
  if (!PROTOCOLS.includes(rule.protocol))
    throw invalid('InvalidRule', `protocol must be one of ${PROTOCOLS.join(', ')}`, [{ field: `${field}.protocol`, message: 'unknown protocol' }]);
  const portMin = rule.portMin ?? null;
  const portMax = rule.portMax ?? null;
  if (rule.protocol === 'tcp' || rule.protocol === 'udp') {
    if ((portMin === null) !== (portMax === null))
      throw invalid('InvalidRule', 'portMin and portMax go together', [{ field: `${field}.portMax`, message: 'both or neither' }]);
    if (portMin !== null && (!isPort(portMin) || !isPort(portMax) || portMin > (portMax as number)))
      throw invalid('InvalidRule', 'ports are 1-65535 with portMin <= portMax', [{ field: `${field}.portMin`, message: 'invalid port range' }]);
  } else if (portMin !== null || portMax !== null) {
    throw invalid('InvalidRule', `${rule.protocol} rules have no ports`, [{ field: `${field}.portMin`, message: 'only for tcp and udp' }]);
  }
  if (rule.remoteGroupId !== undefined) {
    if (typeof rule.remoteGroupId !== 'string' || !/^sg-[A-Za-z0-9-]{1,64}$/.test(rule.remoteGroupId))
      throw invalid('InvalidRule', 'remoteGroupId must be a security group id', [{ field: `${field}.remoteGroupId`, message: 'not a group id' }]);
    return { ruleId: rule.ruleId, direction: rule.direction, protocol: rule.protocol, portMin, portMax, cidr: '0.0.0.0/0', remoteGroupId: rule.remoteGroupId };
  }
  const cidr = parseCidr(rule.cidr, { minPrefix: 0, maxPrefix: 32, field: `${field}.cidr` }).text;
  return { ruleId: rule.ruleId, direction: rule.direction, protocol: rule.protocol, portMin, portMax, cidr };
}

const sameRule = (a: SecurityRule & { remoteGroupId?: string }, b: SecurityRule & { remoteGroupId?: string }) =>
  a.direction === b.direction &&
  a.protocol === b.protocol &&
  a.portMin === b.portMin &&
  a.portMax === b.portMax &&
  a.cidr === b.cidr &&
  a.remoteGroupId === b.remoteGroupId;

/** The groups whose members' addresses some of these rules name. */
export const remoteGroupsOf = (groups: ReadonlyArray<{ rules: readonly SecurityGroupRule[] }>): string[] => [
  ...new Set(groups.flatMap((g) => g.rules.flatMap((r) => (r.remoteGroupId ? [r.remoteGroupId] : [])))),
];

/**
 * The rules a port gets: the union of its groups' rules, each once; a remote-group rule becomes one
 * rule per address of that group's ports (`members`), none when it has no port.
 */
export function effectiveRules(
  groups: ReadonlyArray<{ rules: readonly SecurityGroupRule[] }>,
  members: (groupId: string) => readonly string[] = () => [],
): SecurityRule[] {
  const rules: SecurityRule[] = [];
  const add = (rule: SecurityRule) => {
    if (!rules.some((r) => sameRule(r, rule))) rules.push(rule);
  };
  for (const group of groups)
    for (const { direction, protocol, portMin, portMax, cidr, remoteGroupId } of group.rules) {
      if (remoteGroupId === undefined) add({ direction, protocol, portMin, portMax, cidr });
      else for (const ip of members(remoteGroupId)) add({ direction, protocol, portMin, portMax, cidr: `${ip}/32` });
    }
  return rules;
}

const ruleKey = (r: SecurityRule) => `${r.direction}/${r.protocol}/${r.portMin ?? ''}-${r.portMax ?? ''}/${r.cidr}`;

/** Whether two rule sets allow the same traffic (order and repetition aside). */
export function sameRuleSet(a: readonly SecurityRule[], b: readonly SecurityRule[]): boolean {
  const left = new Set(a.map(ruleKey));
  const right = new Set(b.map(ruleKey));
  return left.size === right.size && [...left].every((k) => right.has(k));
}

function distinctRules(rules: SecurityGroupRule[]): SecurityGroupRule[] {
  const normalized = rules.map((r, i) => normalizeRule(r, `rules.${i}`));
  normalized.forEach((r, i) => {
    if (normalized.slice(0, i).some((earlier) => sameRule(earlier, r)))
      throw invalid('DuplicateRule', 'the same rule is given twice', [{ field: `rules.${i}`, message: 'duplicate' }]);
  });
  if (normalized.length > MAX_RULES_PER_GROUP)
    throw invalid('TooManyRules', `at most ${MAX_RULES_PER_GROUP} rules per group`, [{ field: 'rules', message: 'too many' }]);
  return normalized;
}

type Active = Extract<SecurityGroupState, { status: 'active' }>;
const isActive = (s: SecurityGroupState): s is Active => s.status === 'active';

export const securityGroupDecider: Decider<SecurityGroupState, SecurityGroupCommand, SecurityGroupEvent> = {
  initialState: () => ({ status: 'absent' }),
  decide(command, state) {
    switch (command.type) {
      case 'CreateSecurityGroup': {
        if (state.status !== 'absent') throw conflict('SecurityGroupExists', 'Security group already exists');
        if (command.name.trim() === '') throw invalid('InvalidName', 'name must not be empty', [{ field: 'name', message: 'empty' }]);
        const { securityGroupId, projectId, name } = command;
        return [{ type: 'SecurityGroupCreated', data: { securityGroupId, projectId, name, rules: distinctRules(command.rules), at: command.now } }];
      }
      case 'AddRule': {
        if (!isActive(state)) throw conflict('SecurityGroupNotFound', 'Security group not found');
        const rule = normalizeRule(command.rule, 'rule');
        if (state.rules.some((r) => sameRule(r, rule))) throw conflict('RuleExists', 'The group already has this rule');
        if (state.rules.length >= MAX_RULES_PER_GROUP) throw conflict('TooManyRules', `at most ${MAX_RULES_PER_GROUP} rules per group`);
        return [{ type: 'SecurityGroupRuleAdded', data: { securityGroupId: state.securityGroupId, rule, at: command.now } }];
      }
      case 'RemoveRule':
        if (!isActive(state)) throw conflict('SecurityGroupNotFound', 'Security group not found');
        if (!state.rules.some((r) => r.ruleId === command.ruleId)) throw conflict('RuleNotFound', `No rule ${command.ruleId} in this group`);
        return [{ type: 'SecurityGroupRuleRemoved', data: { securityGroupId: state.securityGroupId, ruleId: command.ruleId, at: command.now } }];
      case 'ChangeMetadata': {
        if (!isActive(state)) throw conflict('SecurityGroupNotFound', 'Security group not found');
        const metadata = metadataAfter(state.metadata, command.change);
        if (sameMetadata(state.metadata, metadata)) return [];
        return [{ type: 'SecurityGroupMetadataChanged', data: { securityGroupId: state.securityGroupId, metadata, at: command.now } }];
      }
      case 'DeleteSecurityGroup':
        if (!isActive(state)) return [];
        return [
          { type: 'SecurityGroupDeleted', data: { securityGroupId: state.securityGroupId, projectId: state.projectId, name: state.name, at: command.now } },
        ];
      default:
        return assertNever(command);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'SecurityGroupCreated': {
        const { securityGroupId, projectId, name, rules } = event.data;
        return { status: 'active', securityGroupId, projectId, name, rules, metadata: {} };
      }
      case 'SecurityGroupRuleAdded':
        return isActive(state) ? { ...state, rules: [...state.rules, event.data.rule] } : state;
      case 'SecurityGroupRuleRemoved':
        return isActive(state) ? { ...state, rules: state.rules.filter((r) => r.ruleId !== event.data.ruleId) } : state;
      case 'SecurityGroupMetadataChanged':
        return isActive(state) ? { ...state, metadata: event.data.metadata } : state;
      case 'SecurityGroupDeleted':
        return { status: 'deleted' };
      default:
        return assertNever(event);
    }
  },
};
