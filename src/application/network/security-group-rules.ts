import { SecurityGroupRule, SecurityRule } from '../../domain/network/security-group/security-group.decider';
import { IdGenerator } from '../ports/id-generator.port';

export type RuleRequest = Omit<SecurityRule, 'portMin' | 'portMax'> & { portMin?: number | null; portMax?: number | null; remoteGroupId?: string };

/** A rule as asked for, with its new id. */
export const withRuleId = (ids: IdGenerator, r: RuleRequest): SecurityGroupRule => ({
  ruleId: ids.next('sgr'),
  direction: r.direction,
  protocol: r.protocol,
  portMin: r.portMin ?? null,
  portMax: r.portMax ?? null,
  cidr: r.cidr,
  ...(r.remoteGroupId ? { remoteGroupId: r.remoteGroupId } : {}),
});

/** The remote groups the rules name must be groups the caller sees (404 SecurityGroupNotFound otherwise). */
export async function assertRemoteGroupsVisible(rules: readonly RuleRequest[], find: (groupId: string) => Promise<unknown>): Promise<void> {
  for (const id of new Set(rules.flatMap((r) => (r.remoteGroupId ? [r.remoteGroupId] : [])))) await find(id);
}
