import { Body, Controller, Get, HttpCode, Param, Post, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import { InstanceAction, ChangeInstance } from '../../../application/compute/commands/change-instance.command';
import { ChangeInstanceSecurityGroups } from '../../../application/compute/commands/change-instance-security-groups.command';
import { InstanceQueries } from '../../../application/compute/instance.queries';
import { NetworkQueries } from '../../../application/network/network.queries';
import { Principal } from '../../../application/shared/command-context';
import { invalid } from '../../../domain/shared/domain-error';
import { CurrentPrincipal, RequestId } from '../../http/shared/decorators';
import { NovaMicroversionInterceptor } from './nova-microversion';
import { novaSecurityGroup } from './nova-security-group-view';
import { isObject } from '../shared/openstack-body';

type ServerAction = { kind: 'lifecycle'; action: InstanceAction } | { kind: 'group'; change: { add: string } | { remove: string } };

/**
 * `{"os-stop": null}`, `{"os-start": null}`, `{"reboot": {"type": "SOFT"|"HARD"}}` as our instance
 * actions; `{"addSecurityGroup"|"removeSecurityGroup": {"name"}}` as a change of its groups (400 for any other).
 */
export function actionOf(body: unknown): ServerAction {
  if (!isObject(body) || Object.keys(body).length !== 1) throw invalid('BadRequest', 'Expected one action, such as {"os-stop": null}');
  const [name, argument] = Object.entries(body)[0];
  switch (name) {
    case 'os-stop':
      return { kind: 'lifecycle', action: { action: 'stop' } };
    case 'os-start':
      return { kind: 'lifecycle', action: { action: 'start' } };
    case 'reboot': {
      const type = isObject(argument) ? argument.type : undefined;
      if (type !== 'SOFT' && type !== 'HARD') throw invalid('BadRequest', 'reboot.type must be SOFT or HARD');
      return { kind: 'lifecycle', action: { action: 'reboot', type: type === 'HARD' ? 'hard' : 'soft' } };
    }
    case 'addSecurityGroup':
    case 'removeSecurityGroup': {
      const group = isObject(argument) ? argument.name : undefined;
      if (typeof group !== 'string' || group.length === 0 || group.length > 64) throw invalid('BadRequest', `${name}.name is required`);
      return { kind: 'group', change: name === 'addSecurityGroup' ? { add: group } : { remove: group } };
    }
    default:
      throw invalid('BadRequest', `The action ${name} is not supported`);
  }
}

/** Nova's server actions over our instance actions, and a server's security groups. */
@ApiExcludeController()
@UseInterceptors(NovaMicroversionInterceptor)
@Controller('compute/v2.1/servers/:id')
export class NovaServerActionsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly instances: InstanceQueries,
    private readonly network: NetworkQueries,
  ) {}

  @Post('action')
  @HttpCode(202)
  async act(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() p: Principal, @RequestId() r: string): Promise<void> {
    const action = actionOf(body);
    if (action.kind === 'lifecycle') await this.commands.execute(new ChangeInstance(id, action.action, p, r));
    else await this.commands.execute(new ChangeInstanceSecurityGroups(id, action.change, p, r));
  }

  @Get('os-security-groups')
  async securityGroups(@Param('id') id: string, @CurrentPrincipal() p: Principal) {
    const instance = await this.instances.getInstance(p, id);
    const groups = await Promise.all(instance.securityGroups.map((g) => this.network.getSecurityGroup(p, g)));
    return { security_groups: groups.map(novaSecurityGroup) };
  }
}
