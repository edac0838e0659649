import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import { InstanceQueries } from '../../../application/compute/instance.queries';
import { Principal } from '../../../application/shared/command-context';
import { ChangeVolume } from '../../../application/storage/commands/change-volume.command';
import { VolumeView } from '../../../application/storage/ports/volume-read-model.port';
import { VolumeQueries } from '../../../application/storage/volume.queries';
import { invalid, notFound } from '../../../domain/shared/domain-error';
import { CurrentPrincipal, RequestId } from '../../http/shared/decorators';
import { Microversion, NovaMicroversionInterceptor, NovaVersion } from './nova-microversion';
import { devicePath, isObject } from '../shared/openstack-body';

const attachment = (serverId: string, v: Pick<VolumeView, 'id' | 'device'>, version: Microversion) => ({
  id: v.id,
  serverId,
  volumeId: v.id,
  device: devicePath(v.device),
  ...(version >= 70 ? { tag: null } : {}),
});
/** Nova's volume attachments of a server over Storage's attach and detach (carried out by the volume worker). */
@ApiExcludeController()
@UseInterceptors(NovaMicroversionInterceptor)
@Controller('compute/v2.1/servers/:serverId/os-volume_attachments')
export class NovaVolumeAttachmentsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly instances: InstanceQueries,
    private readonly volumes: VolumeQueries,
  ) {}

  @Get()
  async list(@Param('serverId') serverId: string, @CurrentPrincipal() p: Principal, @NovaVersion() version: Microversion) {
    const instance = await this.instances.getInstance(p, serverId);
    return { volumeAttachments: (await this.volumes.attachedTo(p, instance)).map((v) => attachment(serverId, v, version)) };
  }

  @Get(':volumeId')
  async show(@Param('serverId') serverId: string, @Param('volumeId') volumeId: string, @CurrentPrincipal() p: Principal, @NovaVersion() version: Microversion) {
    const instance = await this.instances.getInstance(p, serverId);
    const volume = (await this.volumes.attachedTo(p, instance)).find((v) => v.id === volumeId);
    if (!volume) throw notFound('VolumeAttachmentNotFound', `Volume ${volumeId} is not attached to the server.`);
    return { volumeAttachment: attachment(serverId, volume, version) };
  }

  /** Answered when the attachment is recorded; the device is known once the worker has attached it. */
  @Post()
  @HttpCode(200)
  async attach(
    @Param('serverId') serverId: string,
    @Body() body: unknown,
    @CurrentPrincipal() p: Principal,
    @RequestId() r: string,
    @NovaVersion() version: Microversion,
  ) {
    const request = isObject(body) ? body.volumeAttachment : undefined;
    if (!isObject(request) || typeof request.volumeId !== 'string') throw invalid('BadRequest', 'Expected {"volumeAttachment": {"volumeId": ...}}');
    if (request.device !== undefined && request.device !== null) throw invalid('BadRequest', 'The device is chosen by the cloud; leave device out');
    if (request.tag !== undefined && request.tag !== null) throw invalid('BadRequest', 'Device tags are not supported');
    if (request.delete_on_termination === true)
      throw invalid('BadRequest', 'Data volumes are kept when their server is deleted (delete_on_termination is not supported)');
    await this.instances.getInstance(p, serverId);
    await this.commands.execute(new ChangeVolume(request.volumeId, { action: 'attach', instanceId: serverId }, p, r));
    return { volumeAttachment: attachment(serverId, { id: request.volumeId, device: null }, version) };
  }

  @Delete(':volumeId')
  @HttpCode(202)
  async detach(
    @Param('serverId') serverId: string,
    @Param('volumeId') volumeId: string,
    @CurrentPrincipal() p: Principal,
    @RequestId() r: string,
  ): Promise<void> {
    const instance = await this.instances.getInstance(p, serverId);
    if (!(await this.volumes.attachedTo(p, instance)).some((v) => v.id === volumeId))
      throw notFound('VolumeAttachmentNotFound', `Volume ${volumeId} is not attached to the server.`);
    await this.commands.execute(new ChangeVolume(volumeId, { action: 'detach' }, p, r));
  }
}
