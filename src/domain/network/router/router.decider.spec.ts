import { specFor } from '../../../../test/support/decider-spec';
import { RouterEvent, routerDecider } from './router.decider';

const at = '2026-01-01T00:00:00.000Z';
const spec = specFor(routerDecider);
const created: RouterEvent = { type: 'RouterCreated', data: { routerId: 'rtr-1', projectId: 'prj-1', name: 'r', at } };
const legA = { networkId: 'net-1', subnetId: 'sub-a', portId: 'port-a', ip: '10.0.0.1' };
const gateway = { networkId: 'net-external', portId: 'port-g', ip: '203.0.113.5' };
const withA: RouterEvent = { type: 'RouterInterfaceAdded', data: { routerId: 'rtr-1', projectId: 'prj-1', leg: legA, at } };
const withGateway: RouterEvent = { type: 'RouterGatewaySet', data: { routerId: 'rtr-1', projectId: 'prj-1', gateway, at } };

describe('Router decider', () => {
  it('adds an interface once per subnet (the same leg again is a retry)', () => {
    spec.given([created]).when({ type: 'AddInterface', leg: legA, now: at }).then([withA]);
    spec.given([created, withA]).when({ type: 'AddInterface', leg: legA, now: at }).then([]);
    spec
      .given([created, withA])
      .when({ type: 'AddInterface', leg: { ...legA, portId: 'port-b' }, now: at })
      .thenThrows('SubnetAlreadyOnRouter');
  });

  it('sets a gateway once, refuses a second one until it is cleared', () => {
    spec.given([created]).when({ type: 'SetGateway', gateway, now: at }).then([withGateway]);
    spec
      .given([created, withGateway])
      .when({ type: 'SetGateway', gateway: { ...gateway, portId: 'port-h' }, now: at })
      .thenThrows('RouterHasGateway');
    spec
      .given([created, withGateway])
      .when({ type: 'ClearGateway', now: at })
      .then([{ type: 'RouterGatewayCleared', data: { routerId: 'rtr-1', projectId: 'prj-1', gateway, at } }]);
  });

  it('is deleted only without interfaces, its gateway cleared first', () => {
    spec.given([created, withA]).when({ type: 'DeleteRouter', now: at }).thenThrows('RouterInUse');
    spec
      .given([created, withGateway])
      .when({ type: 'DeleteRouter', now: at })
      .then([
        { type: 'RouterGatewayCleared', data: { routerId: 'rtr-1', projectId: 'prj-1', gateway, at } },
        { type: 'RouterDeleted', data: { routerId: 'rtr-1', projectId: 'prj-1', at } },
      ]);
    spec
      .given([created, withA, { type: 'RouterInterfaceRemoved', data: { routerId: 'rtr-1', projectId: 'prj-1', leg: legA, at } }])
      .when({ type: 'DeleteRouter', now: at })
      .then([{ type: 'RouterDeleted', data: { routerId: 'rtr-1', projectId: 'prj-1', at } }]);
    spec.given([]).when({ type: 'ClearGateway', now: at }).thenThrows('RouterNotFound');
  });
});
