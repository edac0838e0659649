import { Inject, Injectable } from '@nestjs/common';
import {
  SecurityGroupState,
  SecurityRule,
  effectiveRules,
  remoteGroupsOf,
  securityGroupDecider,
  securityGroupStream,
} from '../../domain/network/security-group/security-group.decider';
import { CommandExecutor } from '../shared/command-executor';
import { NETWORK_READ_MODEL, NetworkReadModel } from './ports/network-read-model.port';

/**
 * The rules a port must carry, from its groups' own streams (exact, never behind the log). A deleted
 * group adds nothing. A rule naming a remote group allows the addresses of that group's ports as the
 * read model shows them (the security-group worker carries membership changes to the ports).
 */
@Injectable()
export class SecurityRules {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(NETWORK_READ_MODEL) private readonly networks: NetworkReadModel,
  ) {}

  async forGroups(securityGroupIds: readonly string[]): Promise<SecurityRule[]> {
    const states = await Promise.all(securityGroupIds.map(async (id) => (await this.executor.load(securityGroupDecider, securityGroupStream(id))).state));
    const groups = states.filter((s): s is Extract<SecurityGroupState, { status: 'active' }> => s.status === 'active');
    const members = new Map<string, string[]>();
    for (const remote of remoteGroupsOf(groups))
      members.set(
        remote,
        (await this.networks.listPortsInSecurityGroup(remote)).map((p) => p.ip),
      );
    return effectiveRules(groups, (id) => members.get(id) ?? []);
  }
}
