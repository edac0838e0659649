import { requestedMicroversion } from './nova-microversion';
import { actionOf } from './nova-server-actions.controller';
import { parseServerCreate } from './nova-server-request';
import { serverQueryOf } from './nova-server-filter';
import { errorCodeOf } from '../../../../test/support/error-code';

const code = errorCodeOf;

describe('Nova requests', () => {
  it('reads the microversion from either header, the modern one first', () => {
    expect(requestedMicroversion({})).toBe(1);
    expect(requestedMicroversion({ 'x-openstack-nova-api-version': '2.26' })).toBe(26);
    expect(requestedMicroversion({ 'openstack-api-version': 'volume 3.60, compute 2.47', 'x-openstack-nova-api-version': '2.1' })).toBe(47);
    expect(requestedMicroversion({ 'openstack-api-version': 'compute latest' })).toBe(73);
    expect(code(() => requestedMicroversion({ 'x-openstack-nova-api-version': '2.74' }))).toBe(406);
    expect(code(() => requestedMicroversion({ 'x-openstack-nova-api-version': '3.0' }))).toBe(400);
  });

  it('reads a create: references by link, counts as strings, user data decoded, networks auto', () => {
    const launch = parseServerCreate(
      {
        server: {
          name: 'web',
          imageRef: 'http://x/compute/v2.1/images/img-1',
          flavorRef: 'http://x/flavors/flv-1/',
          min_count: '2',
          max_count: 3,
          user_data: Buffer.from('#!/bin/sh\necho hi').toString('base64'),
          availability_zone: 'nova:host1',
          security_groups: [{ name: 'web' }],
          metadata: { role: 'db' },
        },
      },
      1,
    );
    expect(launch).toEqual({
      name: 'web',
      image: 'img-1',
      flavor: 'flv-1',
      networks: 'auto',
      minCount: 2,
      maxCount: 3,
      userData: '#!/bin/sh\necho hi',
      zone: 'nova',
      securityGroups: ['web'],
      metadata: { role: 'db' },
      keyName: undefined,
    });
    expect(parseServerCreate({ server: { name: 'a', imageRef: 'i', flavorRef: 'f', networks: [{ uuid: 'n', fixed_ip: '10.0.0.5' }] } }, 1).networks).toEqual([
      { network: 'n', ip: '10.0.0.5' },
    ]);
  });

  it('reads a boot from a volume: new from an image, or an existing one', () => {
    const base = { name: 'a', flavorRef: 'f', networks: [{ uuid: 'n' }] };
    const fromImage = {
      ...base,
      imageRef: '',
      block_device_mapping_v2: [{ boot_index: 0, uuid: 'img-1', source_type: 'image', destination_type: 'volume', volume_size: '3' }],
    };
    expect(parseServerCreate({ server: fromImage }, 37)).toMatchObject({ image: 'img-1', rootVolume: { sizeGiB: 3, deleteOnTermination: false } });
    const existing = {
      ...base,
      block_device_mapping_v2: [{ boot_index: '0', uuid: 'vol-1', source_type: 'volume', destination_type: 'volume', delete_on_termination: true }],
    };
    expect(parseServerCreate({ server: existing }, 37)).toMatchObject({ image: '', rootVolume: { volumeId: 'vol-1', deleteOnTermination: true } });
    const blank = { ...base, block_device_mapping_v2: [{ boot_index: 0, source_type: 'blank', destination_type: 'volume', uuid: 'x' }] };
    expect(code(() => parseServerCreate({ server: blank }, 37))).toBe('BadRequest');
  });

  it('refuses what it cannot do as asked', () => {
    const server = { name: 'a', imageRef: 'i', flavorRef: 'f', networks: [{ uuid: 'n' }] };
    for (const bad of [
      { ...server, networks: undefined },
      { ...server, networks: 'none' },
      { ...server, networks: [{ port: 7 }] },
      { ...server, block_device_mapping_v2: [] },
      { ...server, personality: [{ path: '/etc/x', contents: '' }] },
      { ...server, min_count: 3, max_count: 2 },
      { ...server, max_count: 1001 },
      { ...server, metadata: { a: 1 } },
      { ...server, name: 'a/b' },
    ]) {
      expect({ bad, code: code(() => parseServerCreate({ server: bad }, 37)) }).toEqual({ bad, code: 'BadRequest' });
    }
  });

  it('reads server actions and list queries', () => {
    expect(actionOf({ reboot: { type: 'HARD' } })).toEqual({ kind: 'lifecycle', action: { action: 'reboot', type: 'hard' } });
    expect(actionOf({ addSecurityGroup: { name: 'web' } })).toEqual({ kind: 'group', change: { add: 'web' } });
    expect(code(() => actionOf({ 'os-stop': null, 'os-start': null }))).toBe('BadRequest');
    expect(code(() => actionOf({ reboot: { type: 'GENTLE' } }))).toBe('BadRequest');
    const query = serverQueryOf({ name: '^web-[12]$', status: 'active' });
    expect(query.filter).toEqual({ state: 'active' });
    const base = { state: 'active', taskState: null, image: 'img', flavor: { id: 'f' }, updatedAt: '2026-01-01T00:00:00Z', projectId: 'p' };
    expect(query.matches({ ...base, name: 'web-1' } as never)).toBe(true);
    expect(query.matches({ ...base, name: 'web-3' } as never)).toBe(false);
    expect(code(() => serverQueryOf({ name: '(' }))).toBe('BadRequest');
    expect(code(() => serverQueryOf({ name: '^(a+)+$' }))).toBe('BadRequest'); // would backtrack without end
    expect(code(() => serverQueryOf({ name: 'web-(1|2)$' }))).toBe('no error');
    expect(code(() => serverQueryOf({ status: 'FLYING' }))).toBe('BadRequest');
    expect(code(() => serverQueryOf({ 'changes-since': 'yesterday' }))).toBe('BadRequest');
  });
});
