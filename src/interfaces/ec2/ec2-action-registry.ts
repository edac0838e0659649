import { Injectable } from '@nestjs/common';
import { Ec2Action, Ec2ActionGroup } from './ec2-action';
import { Ec2AddressActions } from './ec2-addresses.actions';
import { Ec2CatalogActions } from './ec2-catalog.actions';
import { Ec2KeyPairActions } from './ec2-key-pairs.actions';
import { Ec2SecurityGroupActions } from './ec2-security-groups.actions';
import { Ec2TagActions } from './ec2-tags.actions';
import { Ec2VolumeActions } from './ec2-volumes.actions';
import { Ec2InstanceActions } from './ec2-instances.actions';

/** Every action the EC2 interface answers, by name. */
@Injectable()
export class Ec2ActionRegistry {
  private readonly byName: ReadonlyMap<string, Ec2Action>;

  constructor(
    instances: Ec2InstanceActions,
    catalog: Ec2CatalogActions,
    keyPairs: Ec2KeyPairActions,
    securityGroups: Ec2SecurityGroupActions,
    volumes: Ec2VolumeActions,
    addresses: Ec2AddressActions,
    tags: Ec2TagActions,
  ) {
    const groups: Ec2ActionGroup[] = [instances, catalog, keyPairs, securityGroups, volumes, addresses, tags];
    this.byName = new Map(groups.flatMap((group) => Object.entries(group.actions)));
  }

  action(name: string): Ec2Action | undefined {
    return this.byName.get(name);
  }

  /** Every action's name. */
  names(): string[] {
    return [...this.byName.keys()];
  }
}
