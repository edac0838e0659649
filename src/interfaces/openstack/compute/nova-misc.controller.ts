import { Controller, Get, Param, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ComputeQueries } from '../../../application/compute/compute.queries';
import { NetworkQueries } from '../../../application/network/network.queries';
import { Principal } from '../../../application/shared/command-context';
import { allItems } from '../../../application/shared/paging';
import { notFound } from '../../../domain/shared/domain-error';
import { CurrentPrincipal } from '../../http/shared/decorators';
import { Microversion, NovaMicroversionInterceptor, NovaVersion } from './nova-microversion';
import { novaSecurityGroup } from './nova-security-group-view';

/** Gone at 2.36, as in Nova: the proxies of the network service. */
function assertProxyAvailable(v: Microversion): void {
  if (v >= 36) throw notFound('NotFound', 'The resource could not be found.');
}

/** Availability zones (the hosts' zones) and the security-group proxy OSC still uses to find a group. */
@ApiExcludeController()
@UseInterceptors(NovaMicroversionInterceptor)
@Controller('compute/v2.1')
export class NovaMiscController {
  constructor(
    private readonly compute: ComputeQueries,
    private readonly network: NetworkQueries,
  ) {}

  @Get('os-availability-zone')
  async zones() {
    const hosts = await allItems((page) => this.compute.listHosts(page));
    const zones = [...new Set(hosts.map((h) => h.zone))].sort();
    return {
      availabilityZoneInfo: zones.map((zoneName) => ({ zoneName, zoneState: { available: hosts.some((h) => h.zone === zoneName && h.enabled) }, hosts: null })),
    };
  }

  @Get('os-security-groups')
  async securityGroups(@CurrentPrincipal() p: Principal, @NovaVersion() v: Microversion) {
    assertProxyAvailable(v);
    const groups = await allItems((page) => this.network.listSecurityGroups(p, page));
    return { security_groups: groups.map(novaSecurityGroup) };
  }

  @Get('os-security-groups/:id')
  async securityGroup(@Param('id') id: string, @CurrentPrincipal() p: Principal, @NovaVersion() v: Microversion) {
    assertProxyAvailable(v);
    return { security_group: novaSecurityGroup(await this.network.getSecurityGroup(p, id)) };
  }
}
