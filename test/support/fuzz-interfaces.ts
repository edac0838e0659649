import fc from 'fast-check';
import { FuzzRequest, Pools, nastyValue } from './fuzz-requests';

/** A field's value: a real resource named like it, a plausible scalar, or anything at all. */
function field(pools: Pools, name: string): fc.Arbitrary<unknown> {
  const pool = pools[name] ?? [];
  const plausible = fc.oneof(fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/), fc.integer({ min: -5, max: 70_000 }), fc.boolean());
  return pool.length > 0
    ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...pool) }, { weight: 2, arbitrary: plausible }, { weight: 2, arbitrary: nastyValue })
    : fc.oneof({ weight: 3, arbitrary: plausible }, { weight: 2, arbitrary: nastyValue });
}

/** `{ wrapper: { field: value, … } }` with each field present or not (fields may be nested objects given as their own field lists). */
function wrapped(pools: Pools, wrapper: string | null, fields: Record<string, string[] | string>): fc.Arbitrary<unknown> {
  const entries = Object.entries(fields).map(([name, kind]) =>
    fc
      .option(
        Array.isArray(kind)
          ? wrapped(pools, null, Object.fromEntries(kind.map((k) => [k, k])))
          : kind.endsWith('[]')
            ? fc.array(field(pools, kind.slice(0, -2)), { maxLength: 3 })
            : field(pools, kind),
        { freq: 3 },
      )
      .map((value) => [name, value] as const),
  );
  const object = fc.tuple(...entries).map((pairs) => Object.fromEntries(pairs.filter(([, v]) => v !== null)));
  const whole = wrapper ? object.map((inner) => ({ [wrapper]: inner })) : object;
  return fc.oneof({ weight: 5, arbitrary: whole }, { weight: 1, arbitrary: nastyValue });
}

type Route = { method: string; path: string; body?: fc.Arbitrary<unknown>; query?: string[] };

/** The OpenStack routes the real clients use most, with their bodies' fields (Nova, Neutron, Cinder, Glance, Keystone). */
export function openStackRoutes(pools: Pools): Route[] {
  const listing = ['limit', 'marker', 'name', 'status', 'sort_key', 'sort_dir', 'fields', 'all_tenants', 'changes-since', 'minRam', 'device_id'];
  return [
    {
      method: 'POST',
      path: '/compute/v2.1/servers',
      body: wrapped(pools, 'server', {
        name: 'name',
        flavorRef: 'flavors',
        imageRef: 'images',
        networks: 'networks[]',
        key_name: 'keypairs',
        min_count: 'count',
        max_count: 'count',
        user_data: 'text',
        metadata: 'text',
        security_groups: 'securityGroups[]',
      }),
    },
    { method: 'GET', path: '/compute/v2.1/servers/detail', query: listing },
    { method: 'GET', path: '/compute/v2.1/servers/{instances}' },
    { method: 'DELETE', path: '/compute/v2.1/servers/{instances}' },
    {
      method: 'POST',
      path: '/compute/v2.1/servers/{instances}/action',
      body: fc.oneof(
        fc.constantFrom({ 'os-stop': null }, { 'os-start': null }, { reboot: { type: 'SOFT' } }, { reboot: { type: 'HARD' } }),
        wrapped(pools, 'reboot', { type: 'text' }),
        wrapped(pools, 'resize', { flavorRef: 'flavors' }),
        nastyValue,
      ),
    },
    { method: 'POST', path: '/compute/v2.1/os-keypairs', body: wrapped(pools, 'keypair', { name: 'name', public_key: 'text', type: 'text' }) },
    { method: 'GET', path: '/compute/v2.1/flavors/detail', query: listing },
    { method: 'GET', path: '/compute/v2.1/os-quota-sets/{projects}' },
    { method: 'PUT', path: '/compute/v2.1/os-quota-sets/{projects}', body: wrapped(pools, 'quota_set', { instances: 'count', cores: 'count', ram: 'count' }) },
    {
      method: 'POST',
      path: '/network/v2.0/networks',
      body: wrapped(pools, 'network', { name: 'name', admin_state_up: 'bool', shared: 'bool', 'provider:segmentation_id': 'count', 'router:external': 'bool' }),
    },
    {
      method: 'POST',
      path: '/network/v2.0/subnets',
      body: wrapped(pools, 'subnet', {
        network_id: 'networks',
        cidr: 'cidr',
        ip_version: 'count',
        gateway_ip: 'text',
        enable_dhcp: 'bool',
        allocation_pools: ['start', 'end'],
        dns_nameservers: 'text[]',
      }),
    },
    {
      method: 'POST',
      path: '/network/v2.0/ports',
      body: wrapped(pools, 'port', { network_id: 'networks', name: 'name', fixed_ips: 'text[]', device_id: 'instances' }),
    },
    { method: 'GET', path: '/network/v2.0/ports', query: listing },
    { method: 'GET', path: '/network/v2.0/networks', query: listing },
    {
      method: 'POST',
      path: '/network/v2.0/security-group-rules',
      body: wrapped(pools, 'security_group_rule', {
        security_group_id: 'securityGroups',
        direction: 'text',
        protocol: 'text',
        ethertype: 'text',
        port_range_min: 'count',
        port_range_max: 'count',
        remote_ip_prefix: 'cidr',
      }),
    },
    { method: 'POST', path: '/network/v2.0/floatingips', body: wrapped(pools, 'floatingip', { floating_network_id: 'networks', port_id: 'ports' }) },
    { method: 'PUT', path: '/network/v2.0/floatingips/{floatingIps}', body: wrapped(pools, 'floatingip', { port_id: 'ports' }) },
    { method: 'POST', path: '/network/v2.0/routers', body: wrapped(pools, 'router', { name: 'name', external_gateway_info: ['network_id'] }) },
    {
      method: 'POST',
      path: '/volume/v3/{projects}/volumes',
      body: wrapped(pools, 'volume', { size: 'count', name: 'name', snapshot_id: 'snapshots', imageRef: 'images' }),
    },
    { method: 'GET', path: '/volume/v3/{projects}/volumes/detail', query: listing },
    { method: 'POST', path: '/volume/v3/{projects}/volumes/{volumes}/action', body: wrapped(pools, 'os-extend', { new_size: 'count' }) },
    { method: 'DELETE', path: '/volume/v3/{projects}/volumes/{volumes}' },
    {
      method: 'POST',
      path: '/image/v2/images',
      body: wrapped(pools, null, { name: 'name', disk_format: 'text', container_format: 'text', visibility: 'text', min_disk: 'count' }),
    },
    { method: 'GET', path: '/image/v2/images', query: listing },
    {
      method: 'POST',
      path: '/identity/v3/auth/tokens',
      body: wrapped(pools, 'auth', { identity: ['methods', 'password'], scope: ['project', 'system'] }),
    },
    { method: 'POST', path: '/identity/v3/projects', body: wrapped(pools, 'project', { name: 'name', domain_id: 'text', enabled: 'bool' }) },
    { method: 'POST', path: '/identity/v3/users', body: wrapped(pools, 'user', { name: 'name', password: 'text', default_project_id: 'projects' }) },
  ];
}

/** Requests to the OpenStack routes: ids of real resources or anything in the path, listing filters in the query. */
export function openStackRequests(pools: Pools): fc.Arbitrary<FuzzRequest> {
  const any = fc.oneof(fc.string({ minLength: 1, maxLength: 80 }), fc.constantFrom('..', '%00', 'null', '-1'));
  return fc.oneof(
    ...openStackRoutes(pools).map((route) => {
      const holes = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      return fc
        .record({
          ids: fc.tuple(
            ...holes.map((h) =>
              (pools[h] ?? []).length > 0 ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...pools[h]) }, { weight: 1, arbitrary: any }) : any,
            ),
          ),
          query: fc.dictionary(fc.constantFrom(...(route.query ?? ['x'])), fc.oneof(fc.stringMatching(/^[a-z0-9-]{0,10}$/), fc.string({ maxLength: 60 })), {
            maxKeys: 3,
          }),
          body: route.body ? route.body.map((json) => ({ json })) : fc.constant(null),
          credential: fc.constantFrom<FuzzRequest['credential']>('admin', 'admin', 'admin', 'member', 'none', 'garbage'),
        })
        .map(({ ids, query, body, credential }) => ({
          method: route.method,
          path: holes.reduce((p, h, i) => p.replace(`{${h}}`, encodeURIComponent(ids[i])), route.path),
          query: route.query ? query : {},
          body,
          credential,
        }));
    }),
  );
}

/** The EC2 Query parameters the actions read, and indexed ones (lists, filters, permissions). */
const EC2_PARAMETERS = [
  'InstanceId.1',
  'InstanceId.2',
  'ImageId',
  'ImageId.1',
  'MinCount',
  'MaxCount',
  'InstanceType',
  'KeyName',
  'KeyName.1',
  'PublicKeyMaterial',
  'GroupName',
  'GroupId',
  'GroupId.1',
  'GroupDescription',
  'SecurityGroupId.1',
  'SubnetId',
  'VolumeId',
  'VolumeId.1',
  'SnapshotId',
  'Size',
  'Device',
  'AllocationId',
  'AssociationId',
  'PublicIp',
  'MaxResults',
  'NextToken',
  'UserData',
  'ClientToken',
  'Placement.AvailabilityZone',
  'Filter.1.Name',
  'Filter.1.Value.1',
  'IpPermissions.1.IpProtocol',
  'IpPermissions.1.FromPort',
  'IpPermissions.1.ToPort',
  'IpPermissions.1.IpRanges.1.CidrIp',
  'ResourceId.1',
  'Tag.1.Key',
  'Tag.1.Value',
  'RegionName.1',
];

/** EC2 Query forms: an action the interface knows (or not), with any of its parameters set to anything. */
export function ec2Forms(actions: string[], pools: Pools): fc.Arbitrary<string> {
  const value = fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...(pools.ec2Ids ?? ['i-0'])) },
    { weight: 2, arbitrary: fc.stringMatching(/^[a-z0-9.-]{0,12}$/) },
    { weight: 1, arbitrary: fc.integer({ min: -10, max: 100_000 }).map(String) },
    { weight: 2, arbitrary: nastyValue.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))) },
  );
  return fc
    .tuple(
      fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...actions) }, { weight: 1, arbitrary: fc.string({ maxLength: 20 }) }),
      fc.dictionary(fc.constantFrom(...EC2_PARAMETERS), value, { maxKeys: 5 }),
    )
    .map(([action, params]) => new URLSearchParams({ Action: action, Version: '2016-11-15', ...params }).toString());
}
