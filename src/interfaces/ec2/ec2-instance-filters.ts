import { InstanceView } from '../../application/compute/ports/instance-read-model.port';
import { ec2IdOf } from './ec2-ids';
import { ec2StateOf, zoneOf } from './ec2-instance-view';
import { Ec2InstanceContext } from './ec2-lookups';
import { assertKnownFilters, filterMatches } from './ec2-params';

type Values = (i: InstanceView, context: Ec2InstanceContext) => Array<string | null | undefined>;

/** DescribeInstances' filters: each one's values of an instance (any of them may match). */
const FILTERS: Record<string, Values> = {
  'instance-state-name': (i) => [ec2StateOf(i).name],
  'instance-state-code': (i) => [String(ec2StateOf(i).code)],
  'instance-id': (i) => [ec2IdOf('instance', i.id)],
  'image-id': (i) => [ec2IdOf('image', i.image)],
  'instance-type': (i, c) => [c.flavorNames.get(i.flavor.id) ?? i.flavor.id],
  'subnet-id': (i) => i.addresses.map((a) => ec2IdOf('network', a.network)),
  'vpc-id': (i, c) => (i.addresses.length > 0 ? [c.vpcId] : []),
  'availability-zone': (i) => [zoneOf(i)],
  'private-ip-address': (i) => i.addresses.map((a) => a.ip),
  'ip-address': (i, c) => i.addresses.map((a) => c.floatingByPort.get(a.portId)),
  'key-name': (i) => [i.keyName],
  'tag-key': (i) => Object.keys(i.metadata),
  'tag-value': (i) => Object.values(i.metadata),
};

/** A predicate for the filters (all must match; within one, any value). Unknown filter names are refused. */
export function instanceMatcher(filters: ReadonlyMap<string, string[]>, context: Ec2InstanceContext): (i: InstanceView) => boolean {
  assertKnownFilters(filters, new Set(Object.keys(FILTERS)));
  const checks = [...filters].map(([name, accepted]) => {
    const values: Values = name.startsWith('tag:') ? (i) => [i.metadata[name.slice(4)]] : FILTERS[name];
    return (i: InstanceView) => values(i, context).some((value) => filterMatches(accepted, value));
  });
  return (i) => checks.every((check) => check(i));
}
