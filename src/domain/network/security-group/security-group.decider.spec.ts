import { specFor } from '../../../../test/support/decider-spec';
import { SecurityGroupEvent, effectiveRules, normalizeRule, sameRuleSet, securityGroupDecider } from './security-group.decider';

const at = '2026-01-01T00:00:00.000Z';
const ssh = { ruleId: 'sgr-1', direction: 'ingress' as const, protocol: 'tcp' as const, portMin: 22, portMax: 22, cidr: '0.0.0.0/0' };
const created: SecurityGroupEvent = { type: 'SecurityGroupCreated', data: { securityGroupId: 'sg-1', projectId: 'prj-1', name: 'web', rules: [ssh], at } };
const spec = specFor(securityGroupDecider);

describe('Security group decider', () => {
  it('normalizes rules on creation (canonical CIDR, null ports for icmp)', () => {
    spec
      .given([])
      .when({
        type: 'CreateSecurityGroup',
        securityGroupId: 'sg-1',
        projectId: 'prj-1',
        name: 'web',
        rules: [{ ruleId: 'sgr-2', direction: 'ingress', protocol: 'icmp', portMin: null, portMax: null, cidr: '10.0.0.0/08' }],
        now: at,
      })
      .then([
        {
          type: 'SecurityGroupCreated',
          data: {
            securityGroupId: 'sg-1',
            projectId: 'prj-1',
            name: 'web',
            rules: [{ ruleId: 'sgr-2', direction: 'ingress', protocol: 'icmp', portMin: null, portMax: null, cidr: '10.0.0.0/8' }],
            at,
          },
        },
      ]);
  });

  it('adds a rule once, removes only a rule it has, and refuses changes after deletion', () => {
    spec
      .given([created])
      .when({ type: 'AddRule', rule: { ...ssh, ruleId: 'sgr-9' }, now: at })
      .thenThrows('RuleExists');
    spec.given([created]).when({ type: 'RemoveRule', ruleId: 'sgr-404', now: at }).thenThrows('RuleNotFound');
    spec
      .given([created])
      .when({ type: 'RemoveRule', ruleId: 'sgr-1', now: at })
      .then([{ type: 'SecurityGroupRuleRemoved', data: { securityGroupId: 'sg-1', ruleId: 'sgr-1', at } }]);
    const deleted: SecurityGroupEvent = { type: 'SecurityGroupDeleted', data: { securityGroupId: 'sg-1', projectId: 'prj-1', name: 'web', at } };
    spec
      .given([created, deleted])
      .when({ type: 'AddRule', rule: { ...ssh, ruleId: 'sgr-3', portMin: 80, portMax: 80 }, now: at })
      .thenThrows('SecurityGroupNotFound');
    spec.given([created, deleted]).when({ type: 'DeleteSecurityGroup', now: at }).then([]);
  });

  it('refuses port ranges that are reversed, half given, or on a protocol without ports', () => {
    for (const rule of [
      { ...ssh, portMin: 23, portMax: 22 },
      { ...ssh, portMax: null },
      { ...ssh, protocol: 'icmp' as const },
      { ...ssh, portMin: 0, portMax: 22 },
    ]) {
      spec.given([created]).when({ type: 'AddRule', rule, now: at }).thenThrows('InvalidRule');
    }
  });

  it('merges the rules of several groups, each once, and compares rule sets regardless of order', () => {
    const icmp = { ruleId: 'sgr-5', direction: 'ingress' as const, protocol: 'icmp' as const, portMin: null, portMax: null, cidr: '0.0.0.0/0' };
    const merged = effectiveRules([{ rules: [ssh, icmp] }, { rules: [{ ...ssh, ruleId: 'sgr-other' }] }]);
    expect(merged).toHaveLength(2);
    expect(sameRuleSet(merged, [icmp, ssh])).toBe(true);
    expect(sameRuleSet(merged, [icmp])).toBe(false);
  });

  it('expands a rule naming a remote group into one rule per address of its ports, none without ports', () => {
    const group = {
      rules: [{ ruleId: 'r1', direction: 'ingress' as const, protocol: 'tcp' as const, portMin: 80, portMax: 80, cidr: '0.0.0.0/0', remoteGroupId: 'sg-app' }],
    };
    expect(effectiveRules([group])).toEqual([]);
    expect(effectiveRules([group], (id) => (id === 'sg-app' ? ['10.0.0.5', '10.0.0.6', '10.0.0.5'] : []))).toEqual([
      { direction: 'ingress', protocol: 'tcp', portMin: 80, portMax: 80, cidr: '10.0.0.5/32' },
      { direction: 'ingress', protocol: 'tcp', portMin: 80, portMax: 80, cidr: '10.0.0.6/32' },
    ]);
    expect(() => normalizeRule({ ...group.rules[0], remoteGroupId: 'nope' }, 'rule')).toThrow(expect.objectContaining({ code: 'InvalidRule' }));
  });

  it('keeps its metadata (EC2 tags): merged, nothing for no change, refused once deleted', () => {
    const tagged: SecurityGroupEvent = { type: 'SecurityGroupMetadataChanged', data: { securityGroupId: 'sg-1', metadata: { env: 'prod' }, at } };
    const change = { set: { env: 'prod' }, unset: [], replace: false };
    spec.given([created]).when({ type: 'ChangeMetadata', change, now: at }).then([tagged]);
    spec.given([created, tagged]).when({ type: 'ChangeMetadata', change, now: at }).then([]);
    const deleted: SecurityGroupEvent = { type: 'SecurityGroupDeleted', data: { securityGroupId: 'sg-1', projectId: 'prj-1', name: 'web', at } };
    spec.given([created, deleted]).when({ type: 'ChangeMetadata', change, now: at }).thenThrows('SecurityGroupNotFound');
  });
});
