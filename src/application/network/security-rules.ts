import { Injectable } from '@nestjs/common';
import {
  SecurityGroupState,
  SecurityRule,
  effectiveRules,
  securityGroupDecider,
  securityGroupStream,
} from '../../domain/network/security-group/security-group.decider';
import { CommandExecutor } from '../shared/command-executor';

/** The rules a port must carry, from its groups' own streams (exact, never behind the log). A deleted group adds nothing. */
@Injectable()
export class SecurityRules {
  constructor(private readonly executor: CommandExecutor) {}

  async forGroups(securityGroupIds: readonly string[]): Promise<SecurityRule[]> {
    const states = await Promise.all(securityGroupIds.map(async (id) => (await this.executor.load(securityGroupDecider, securityGroupStream(id))).state));
    return effectiveRules(states.filter((s): s is Extract<SecurityGroupState, { status: 'active' }> => s.status === 'active'));
  }
}
