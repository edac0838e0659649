import { Body, Controller, Get, HttpCode, Param, Post, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import { InstanceAction, ChangeInstance } from '../../../application/compute/commands/change-instance.command';
import { InstanceQueries } from '../../../application/compute/instance.queries';
import { NetworkQueries } from '../../../application/network/network.queries';
import { Principal } from '../../../application/shared/command-context';
import { invalid } from '../../../domain/shared/domain-error';
import { CurrentPrincipal, RequestId } from '../../http/shared/decorators';
import { NovaMicroversionInterceptor } from './nova-microversion';
import { novaSecurityGroup } from './nova-security-group-view';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `{"os-stop": null}`, `{"os-start": null}`, `{"reboot": {"type": "SOFT"|"HARD"}}` as our instance actions (400 for any other). */
export function actionOf(body: unknown): InstanceAction {
  if (!isObject(body) || Object.keys(body).length !== 1) throw invalid('BadRequest', 'Expected one action, such as {"os-stop": null}');
  const [name, argument] = Object.entries(body)[0];
  switch (name) {
    case 'os-stop':
      return { action: 'stop' };
    case 'os-start':
      return { action: 'start' };
    case 'reboot': {
      const type = isObject(argument) ? argument.type : undefined;
      if (type !== 'SOFT' && type !== 'HARD') throw invalid('BadRequest', 'reboot.type must be SOFT or HARD');
      return { action: 'reboot', type: type === 'HARD' ? 'hard' : 'soft' };
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
    await this.commands.execute(new ChangeInstance(id, actionOf(body), p, r));
  }

  @Get('os-security-groups')
  async securityGroups(@Param('id') id: string, @CurrentPrincipal() p: Principal) {
    const instance = await this.instances.getInstance(p, id);
    const groups = await Promise.all(instance.securityGroups.map((g) => this.network.getSecurityGroup(p, g)));
    return { security_groups: groups.map(novaSecurityGroup) };
  }
}
