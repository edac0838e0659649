import { SecurityGroupRule, SecurityRule } from '../../domain/network/security-group/security-group.decider';
import { IdGenerator } from '../ports/id-generator.port';

export type RuleRequest = Omit<SecurityRule, 'portMin' | 'portMax'> & { portMin?: number | null; portMax?: number | null };

/** A rule as asked for, with its new id. */
export const withRuleId = (ids: IdGenerator, r: RuleRequest): SecurityGroupRule => ({
  ruleId: ids.next('sgr'),
  direction: r.direction,
  protocol: r.protocol,
  portMin: r.portMin ?? null,
  portMax: r.portMax ?? null,
  cidr: r.cidr,
});
