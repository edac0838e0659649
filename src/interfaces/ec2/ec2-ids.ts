import { Inject, Injectable } from '@nestjs/common';
import { ID_PREFIX_INDEX, IdPrefixIndex, IndexedKind } from '../../application/ports/id-prefix-index.port';
import { ec2Invalid } from './ec2-error';

/** EC2's prefix and ours, and EC2's codes for an id of the wrong form and for one that names nothing. */
type Naming = { ec2: string; ours: string; malformed: string; notFound: string };
const NAMING: Record<IndexedKind, Naming> = {
  instance: { ec2: 'i', ours: 'inst', malformed: 'InvalidInstanceID.Malformed', notFound: 'InvalidInstanceID.NotFound' },
  image: { ec2: 'ami', ours: 'img', malformed: 'InvalidAMIID.Malformed', notFound: 'InvalidAMIID.NotFound' },
  volume: { ec2: 'vol', ours: 'vol', malformed: 'InvalidVolumeID.Malformed', notFound: 'InvalidVolume.NotFound' },
  snapshot: { ec2: 'snap', ours: 'snap', malformed: 'InvalidSnapshotID.Malformed', notFound: 'InvalidSnapshot.NotFound' },
  'security-group': { ec2: 'sg', ours: 'sg', malformed: 'InvalidGroupId.Malformed', notFound: 'InvalidGroup.NotFound' },
  network: { ec2: 'subnet', ours: 'net', malformed: 'InvalidSubnetID.Malformed', notFound: 'InvalidSubnetID.NotFound' },
  'floating-ip': { ec2: 'eipalloc', ours: 'fip', malformed: 'InvalidAllocationID.Malformed', notFound: 'InvalidAllocationID.NotFound' },
};
const EC2_DIGITS = 17;

/**
 * EC2's ids for ours: the kind's EC2 prefix and the first 17 of our id's 20 random hex digits (68
 * bits, so two ids of one kind sharing them is as likely as a collision among 2^34 resources). An id
 * that is not random hex (`net-external`) keeps its whole tail.
 */
export function ec2IdOf(kind: IndexedKind, ours: string): string {
  return ec2Form(NAMING[kind].ec2, ours);
}

/** Any of our ids in EC2's form under an EC2 prefix (`eni`, `key`, …): the prefix and the id's first 17 hex digits. */
export function ec2Form(prefix: string, ours: string): string {
  const tail = ours.slice(ours.indexOf('-') + 1);
  return `${prefix}-${/^[0-9a-f]{18,}$/.test(tail) ? tail.slice(0, EC2_DIGITS) : tail}`;
}

/** A reservation is a launch: its operation's id in EC2's form. */
export const reservationIdOf = (operationId: string) => ec2Form('r', operationId);
/** A project's default VPC. */
export const vpcIdOf = (projectId: string) => ec2Form('vpc', projectId);

/** Ours for EC2's, found through the id index; refusals as EC2 names them (`….Malformed`, `….NotFound`). */
@Injectable()
export class Ec2Ids {
  constructor(@Inject(ID_PREFIX_INDEX) private readonly index: IdPrefixIndex) {}

  async ours(kind: IndexedKind, ec2Id: string): Promise<string> {
    const found = await this.find(kind, ec2Id);
    if (found === null) throw this.notFound(kind, ec2Id);
    return found;
  }

  /** Ours, or null when nothing of the kind has that id (a malformed id is still refused). */
  async find(kind: IndexedKind, ec2Id: string): Promise<string | null> {
    const naming = NAMING[kind];
    const match = new RegExp(`^${naming.ec2}-([0-9a-z-]+)$`).exec(ec2Id);
    if (!match) throw ec2Invalid(naming.malformed, `Invalid id: "${ec2Id}"`);
    const tail = match[1];
    if (!new RegExp(`^[0-9a-f]{${EC2_DIGITS}}$`).test(tail)) {
      const exact = `${naming.ours}-${tail}`;
      return (await this.index.exists(kind, exact)) ? exact : null;
    }
    const ids = await this.index.idsStartingWith(kind, `${naming.ours}-${tail}`, 2);
    return ids.length === 1 ? ids[0] : null;
  }

  /**
   * The resources named by EC2 ids, each of which must be among `visible` (the caller's own):
   * another project's is EC2's NotFound for the kind, exactly as an id nobody has.
   */
  async visibleAmong(kind: IndexedKind, asked: readonly string[], visible: ReadonlySet<string>): Promise<Set<string>> {
    const found = new Set<string>();
    for (const ec2Id of asked) {
      const ours = await this.find(kind, ec2Id);
      if (ours === null || !visible.has(ours)) throw this.notFound(kind, ec2Id);
      found.add(ours);
    }
    return found;
  }

  notFound(kind: IndexedKind, ec2Id: string) {
    return ec2Invalid(NAMING[kind].notFound, `The ${kind.replace('-', ' ')} ID '${ec2Id}' does not exist`);
  }
}
