import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CLUSTER_VIEW, ClusterState, ClusterView } from '../../../application/ports/cluster-view.port';
import { Access } from '../shared/decorators';

@ApiTags('operations')
@ApiBearerAuth()
@Controller('v1/cluster')
export class ClusterController {
  constructor(@Inject(CLUSTER_VIEW) private readonly cluster: ClusterView) {}

  @Get()
  @Access('admin')
  @ApiOperation({
    summary: 'The orchestrator processes sharing this database (admin): heartbeats, and the shards of background work and singletons each owns',
  })
  describe(): Promise<ClusterState> {
    return this.cluster.describe();
  }
}
