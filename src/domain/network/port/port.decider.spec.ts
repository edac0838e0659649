import { specFor } from '../../../../test/support/decider-spec';
import { PortEvent, portDecider } from './port.decider';

const at = '2026-01-01T00:00:00.000Z';
const spec = specFor(portDecider);
const free: PortEvent = {
  type: 'PortCreated',
  data: {
    portId: 'port-1',
    projectId: 'prj-1',
    networkId: 'net-1',
    mac: 'fa:16:3e:00:00:01',
    ip: '10.0.0.5',
    instanceId: null,
    securityGroups: [],
    name: 'mine',
    at,
  },
};
const attached: PortEvent = { type: 'PortAttached', data: { portId: 'port-1', instanceId: 'inst-1', at } };

describe('Port decider: a port made on its own', () => {
  it('is taken by one instance at a time (the same one again is a retry)', () => {
    spec.given([free]).when({ type: 'AttachPort', instanceId: 'inst-1', now: at }).then([attached]);
    spec.given([free, attached]).when({ type: 'AttachPort', instanceId: 'inst-1', now: at }).then([]);
    spec.given([free, attached]).when({ type: 'AttachPort', instanceId: 'inst-2', now: at }).thenThrows('PortInUse');
  });

  it('is let go by its instance only, and can then be taken again', () => {
    const detached: PortEvent = { type: 'PortDetached', data: { portId: 'port-1', instanceId: 'inst-1', at } };
    spec.given([free, attached]).when({ type: 'DetachPort', instanceId: 'inst-2', now: at }).then([]);
    spec.given([free, attached]).when({ type: 'DetachPort', instanceId: 'inst-1', now: at }).then([detached]);
    spec
      .given([free, attached, detached])
      .when({ type: 'AttachPort', instanceId: 'inst-2', now: at })
      .then([{ type: 'PortAttached', data: { portId: 'port-1', instanceId: 'inst-2', at } }]);
  });

  it('is deleted as a free port only while nothing holds it; a router leg is never taken', () => {
    spec.given([free, attached]).when({ type: 'DeletePort', onlyIfFree: true, now: at }).thenThrows('PortInUse');
    spec
      .given([free])
      .when({ type: 'DeletePort', onlyIfFree: true, now: at })
      .then([{ type: 'PortDeleted', data: { portId: 'port-1', networkId: 'net-1', ip: '10.0.0.5', at } }]);
    const leg: PortEvent = { ...free, data: { ...free.data, router: { routerId: 'rtr-1', role: 'interface' } } } as PortEvent;
    spec.given([leg]).when({ type: 'AttachPort', instanceId: 'inst-1', now: at }).thenThrows('PortInUse');
  });
});
