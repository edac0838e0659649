import { specFor } from '../../../test/support/decider-spec';
import { claimDecider } from './unique-claim';

const spec = specFor(claimDecider);

describe('Unique claim decider', () => {
  it('claims a free key, refuses it to another owner, frees it on release', () => {
    spec
      .given([])
      .when({ type: 'Claim', key: 'a', ownerId: 'x' })
      .then([{ type: 'KeyClaimed', data: { key: 'a', ownerId: 'x' } }]);
    spec
      .given([{ type: 'KeyClaimed', data: { key: 'a', ownerId: 'x' } }])
      .when({ type: 'Claim', key: 'a', ownerId: 'y' })
      .thenThrows('NameTaken');
    spec
      .given([{ type: 'KeyClaimed', data: { key: 'a', ownerId: 'x' } }])
      .when({ type: 'Claim', key: 'a', ownerId: 'x' })
      .then([]);
    spec
      .given([
        { type: 'KeyClaimed', data: { key: 'a', ownerId: 'x' } },
        { type: 'KeyReleased', data: { key: 'a', ownerId: 'x' } },
      ])
      .when({ type: 'Claim', key: 'a', ownerId: 'y' })
      .then([{ type: 'KeyClaimed', data: { key: 'a', ownerId: 'y' } }]);
  });
  it('ignores a release by someone who does not hold the key', () =>
    spec
      .given([{ type: 'KeyClaimed', data: { key: 'a', ownerId: 'x' } }])
      .when({ type: 'Release', key: 'a', ownerId: 'y' })
      .then([]));
});
