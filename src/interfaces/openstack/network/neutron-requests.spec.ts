import { ruleOf } from './neutron-security-groups.controller';
import { errorCodeOf } from '../../../../test/support/error-code';

const code = errorCodeOf;

describe('Neutron requests', () => {
  it('reads security-group rules: protocols by name or number, IPv4 prefixes or a remote group', () => {
    expect(
      ruleOf({ security_group_rule: { security_group_id: 'sg-1', direction: 'ingress', protocol: '17', port_range_min: 53, port_range_max: 53 } }),
    ).toEqual({
      groupId: 'sg-1',
      rule: { direction: 'ingress', protocol: 'udp', portMin: 53, portMax: 53, cidr: '0.0.0.0/0' },
    });
    expect(ruleOf({ security_group_rule: { security_group_id: 'sg-1', direction: 'egress' } }).rule.protocol).toBe('any');
    expect(ruleOf({ security_group_rule: { security_group_id: 'sg-1', direction: 'ingress', remote_group_id: 'sg-2' } }).rule).toMatchObject({
      remoteGroupId: 'sg-2',
    });
    expect(
      code(() => ruleOf({ security_group_rule: { security_group_id: 'sg-1', direction: 'ingress', remote_group_id: 'sg-2', remote_ip_prefix: '10.0.0.0/8' } })),
    ).toBe('BadRequest');
    expect(code(() => ruleOf({ security_group_rule: { security_group_id: 'sg-1', direction: 'ingress', ethertype: 'IPv6' } }))).toBe('BadRequest');
  });
});
