import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { EventCore } from '../../../application/ports/event-store.port';
import { RouterEvent, RouterInterface, RouterLeg } from '../../../domain/network/router/router.decider';
import { Projection } from '../../projections/projection';
import { RowFolds } from '../../projections/row-folds';

@Index(['projectId'])
@Entity('rm_routers')
export class RouterRow {
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'project_id' }) projectId!: string;
  @Column('text') name!: string;
  @Column('simple-json', { nullable: true }) gateway!: RouterLeg | null;
  @Column('simple-json') interfaces!: RouterInterface[];
  @Column('text', { name: 'created_at' }) createdAt!: string;
  @Column('text', { name: 'updated_at' }) updatedAt!: string;
}

const TYPES = [
  'RouterCreated',
  'RouterGatewaySet',
  'RouterGatewayCleared',
  'RouterInterfaceAdded',
  'RouterInterfaceRemoved',
  'RouterRenamed',
  'RouterDeleted',
] as const satisfies readonly RouterEvent['type'][];

/** Routers with their gateway and interfaces. */
export const routerProjection: Projection = {
  name: 'router',
  tables: ['rm_routers'],
  reads: { types: [...TYPES], prefixes: [] },
  async apply(events: readonly EventCore[], folds: RowFolds) {
    const routerEvents = events.map((e) => ({ type: e.type, data: e.data }) as RouterEvent);
    if (routerEvents.length === 0) return;
    const rows = await folds.of(RouterRow).loadFor(
      routerEvents,
      (e) => e.data.routerId,
      (e) => e.type === 'RouterCreated',
    );
    for (const event of routerEvents) {
      const at = event.data.at;
      switch (event.type) {
        case 'RouterCreated': {
          const { routerId, projectId, name } = event.data;
          rows.put({ id: routerId, projectId, name, gateway: null, interfaces: [], createdAt: at, updatedAt: at });
          break;
        }
        case 'RouterGatewaySet':
          rows.update(event.data.routerId, (r) => ({ ...r, gateway: event.data.gateway, updatedAt: at }));
          break;
        case 'RouterGatewayCleared':
          rows.update(event.data.routerId, (r) => ({ ...r, gateway: null, updatedAt: at }));
          break;
        case 'RouterInterfaceAdded':
          rows.update(event.data.routerId, (r) => ({ ...r, interfaces: [...r.interfaces, event.data.leg], updatedAt: at }));
          break;
        case 'RouterInterfaceRemoved':
          rows.update(event.data.routerId, (r) => ({ ...r, interfaces: r.interfaces.filter((i) => i.subnetId !== event.data.leg.subnetId), updatedAt: at }));
          break;
        case 'RouterRenamed':
          rows.update(event.data.routerId, (r) => ({ ...r, name: event.data.name, updatedAt: at }));
          break;
        case 'RouterDeleted':
          rows.remove(event.data.routerId);
          break;
      }
    }
  },
};
