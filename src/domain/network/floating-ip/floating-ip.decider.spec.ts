import { specFor } from '../../../../test/support/decider-spec';
import { FloatingIpEvent, floatingIpDecider } from './floating-ip.decider';

const at = '2026-01-01T00:00:00.000Z';
const allocated: FloatingIpEvent = { type: 'FloatingIpAllocated', data: { floatingIpId: 'fip-1', projectId: 'prj-1', address: '198.51.100.2', at } };
const associated: FloatingIpEvent = {
  type: 'FloatingIpAssociated',
  data: { floatingIpId: 'fip-1', address: '198.51.100.2', instanceId: 'inst-1', portId: 'port-1', fixedIp: '10.0.0.5', at },
};
const spec = specFor(floatingIpDecider);

describe('Floating IP decider', () => {
  it('maps to one port at a time; the same association again changes nothing', () => {
    spec
      .given([allocated, associated])
      .when({ type: 'Associate', instanceId: 'inst-2', portId: 'port-2', fixedIp: '10.0.0.6', now: at })
      .thenThrows('FloatingIpInUse');
    spec.given([allocated, associated]).when({ type: 'Associate', instanceId: 'inst-1', portId: 'port-1', fixedIp: '10.0.0.5', now: at }).then([]);
    spec.given([allocated]).when({ type: 'Disassociate', now: at }).then([]);
  });

  it('disassociates before releasing, and releases once', () => {
    spec
      .given([allocated, associated])
      .when({ type: 'ReleaseFloatingIp', now: at })
      .then([
        { type: 'FloatingIpDisassociated', data: { floatingIpId: 'fip-1', address: '198.51.100.2', instanceId: 'inst-1', portId: 'port-1', at } },
        { type: 'FloatingIpReleased', data: { floatingIpId: 'fip-1', projectId: 'prj-1', address: '198.51.100.2', at } },
      ]);
    const released: FloatingIpEvent = { type: 'FloatingIpReleased', data: { floatingIpId: 'fip-1', projectId: 'prj-1', address: '198.51.100.2', at } };
    spec.given([allocated, released]).when({ type: 'ReleaseFloatingIp', now: at }).then([]);
    spec.given([allocated, released]).when({ type: 'Disassociate', now: at }).thenThrows('FloatingIpNotFound');
  });
});
