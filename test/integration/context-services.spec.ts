import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HostClaims } from '../../src/application/compute/provisioning/host-claims';
import { QuotaLedger } from '../../src/application/identity/public';
import { NetworkAttachments } from '../../src/application/network/public';
import { systemContext } from '../../src/application/shared/command-context';
import { CommandExecutor } from '../../src/application/shared/command-executor';
import { InstanceDisks } from '../../src/application/storage/public';
import { hostDecider, hostStream } from '../../src/domain/compute/host/host.decider';
import { projectDecider, projectStream } from '../../src/domain/identity/project/project.decider';
import { addressOf, networkDecider, networkStream } from '../../src/domain/network/network/network.decider';
import { volumeDecider, volumeStream } from '../../src/domain/storage/volume/volume.decider';
import { loadConfig } from '../../src/infrastructure/config/config';
import { HOST_DRIVERS } from '../../src/infrastructure/drivers/host-drivers';
import { JsonLogger } from '../../src/infrastructure/logging/json-logger';
import { ProjectionRunner } from '../../src/infrastructure/projections/projection-runner';
import { SimulatedHostDrivers } from '../../src/infrastructure/simulation/simulated-host-drivers';
import { ComputeModule } from '../../src/wiring/compute.module';
import { DriversModule } from '../../src/wiring/drivers.module';
import { IdentityModule } from '../../src/wiring/identity.module';
import { NetworkModule } from '../../src/wiring/network.module';
import { PlatformModule } from '../../src/wiring/platform.module';
import { ProvisioningModule } from '../../src/wiring/provisioning.module';
import { StorageModule } from '../../src/wiring/storage.module';

/**
 * The services a context offers the others, each through the real wiring on the embedded store
 * with the simulated drivers: Identity's quota ledger, Network's attachments, Storage's instance
 * disks, Compute's host claims. Every call is idempotent (a retried step repeats it).
 */
describe('Services the contexts offer each other (embedded)', () => {
  let dir: string;
  let app: INestApplicationContext;
  let executor: CommandExecutor;
  const ctx = systemContext('test');
  const now = () => executor.now();

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-services-'));
    const config = loadConfig({ ORCH_STORE: 'embedded', ORCH_DATA_DIR: dir, ORCH_GRPC_PORT: 'off', ORCH_DEMO: 'off' });
    const logger = new JsonLogger('error', () => undefined);
    @Module({
      imports: [
        PlatformModule.forRoot(config, logger, { kind: 'orchestrator' }),
        DriversModule.forRoot(config),
        IdentityModule,
        ComputeModule,
        NetworkModule,
        StorageModule,
        ProvisioningModule,
      ],
    })
    class Root {}
    app = await NestFactory.createApplicationContext(Root, { logger: false });
    await app.get(ProjectionRunner).start();
    executor = app.get(CommandExecutor);
    await executor.execute(
      projectDecider,
      projectStream('prj-1'),
      { type: 'CreateProject', projectId: 'prj-1', name: 'p', quotas: { instances: 3, vcpus: 100 }, now: now() },
      ctx,
    );
    await executor.execute(
      networkDecider,
      networkStream('net-1'),
      {
        type: 'CreateNetwork',
        networkId: 'net-1',
        projectId: 'prj-1',
        name: 'n',
        subnets: [{ subnetId: 'subnet-1', cidr: '10.1.0.0/29' }],
        vlan: 101,
        now: now(),
      },
      ctx,
    );
    await executor.execute(
      hostDecider,
      hostStream('host-1'),
      {
        type: 'RegisterHost',
        hostId: 'host-1',
        name: 'h',
        driver: 'simulated',
        uri: null,
        zone: 'nova',
        capacity: { vcpus: 1, ramMiB: 1024, diskGiB: 10 },
        now: now(),
      },
      ctx,
    );
  });

  afterAll(async () => {
    await app?.get(ProjectionRunner).stop();
    await app?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const usage = async () => {
    const state = await app.get(QuotaLedger).current('prj-1');
    return state.status === 'active' ? state.usage.instances : NaN;
  };

  it('QuotaLedger: reserves once per reservation, as many as fit between the bounds, and gives back what it reserved', async () => {
    const quota = app.get(QuotaLedger);
    await quota.reserve('prj-1', 'inst-a', { instances: 1 }, ctx);
    await quota.reserve('prj-1', 'inst-a', { instances: 1 }, ctx); // a retried step
    expect(await usage()).toBe(1);
    expect(await quota.reserveAsManyAsFit('prj-1', ['inst-b', 'inst-c', 'inst-d'], { instances: 1 }, 1, ctx)).toEqual(['inst-b', 'inst-c']);
    await expect(quota.reserveAsManyAsFit('prj-1', ['inst-e'], { instances: 1 }, 1, ctx)).rejects.toMatchObject({ code: 'QuotaExceeded' });
    for (const id of ['inst-a', 'inst-b', 'inst-c', 'inst-a']) await quota.release('prj-1', id, ctx);
    expect(await usage()).toBe(0);
  });

  it('NetworkAttachments: distinct addresses, the same ones again on a retry, a refusal when the network is full, all given back', async () => {
    const networks = app.get(NetworkAttachments);
    const owner = { instanceId: 'inst-x', projectId: 'prj-1', securityGroups: [] };
    const requests = [0, 1, 2].map((i) => ({ portId: `port-x-${i}`, networkId: 'net-1' }));
    const first = await networks.allocate(owner, requests, ctx);
    const again = await networks.allocate(owner, requests, ctx);
    if (!('attachments' in first) || !('attachments' in again)) throw new Error('refused');
    expect(new Set(first.attachments.map((a) => a.ip)).size).toBe(3);
    expect(again.attachments).toEqual(first.attachments);
    // A /29 holds five addresses besides the gateway: three are taken, so four more cannot all fit.
    const more = await networks.allocate(
      owner,
      [3, 4, 5, 6].map((i) => ({ portId: `port-x-${i}`, networkId: 'net-1' })),
      ctx,
    );
    expect(more).toEqual({ refused: expect.stringContaining('net-1') });
    const { hostId, driver, uri } = { hostId: 'host-1', driver: 'simulated' as const, uri: null };
    await networks.plug({ hostId, driver, uri }, 'inst-x', first.attachments, []);
    const sw = app.get<SimulatedHostDrivers>(HOST_DRIVERS).switch({ hostId, driver, uri });
    expect((await sw.listPorts()).map((p) => p.portId).sort()).toEqual(requests.map((r) => r.portId));
    await networks.unplug(
      { hostId, driver, uri },
      first.attachments.map((a) => a.portId),
    );
    await networks.release(
      'inst-x',
      [0, 1, 2, 3, 4, 5, 6].map((i) => ({ portId: `port-x-${i}`, networkId: 'net-1' })),
      ctx,
    );
    const { state } = await executor.load(networkDecider, networkStream('net-1'));
    expect([0, 1, 2].map((i) => addressOf(state, `port-x-${i}`))).toEqual([undefined, undefined, undefined]);
    expect(await sw.listPorts()).toEqual([]);
  });

  it('InstanceDisks: a root volume made once, faults thrown for the caller to retry or wait on, deleted whatever its state', async () => {
    const disks = app.get(InstanceDisks);
    const storage = app.get<SimulatedHostDrivers>(HOST_DRIVERS).storage();
    const root = (volumeId: string) => ({ volumeId, instanceId: 'inst-y', projectId: 'prj-1', name: 'y-root', sizeGiB: 1, imageId: 'img-1', imageSource: 'x' });
    expect(await disks.createRoot(root('vol-y-root'), ctx)).toEqual({ created: true });
    expect(await disks.createRoot(root('vol-y-root'), ctx)).toEqual({ created: true }); // a retried step
    expect((await storage.list()).map((v) => v.volumeId)).toContain('vol-y-root');
    // A transient fault is thrown, for the caller to retry.
    storage.simulation.configure({ failNext: { createVolume: 1 } });
    await expect(disks.createRoot(root('vol-z-root'), ctx)).rejects.toMatchObject({ kind: 'transient' });
    // The storage down: thrown as unreachable (the workers wait on it).
    storage.simulation.hostDown = true;
    await expect(disks.createRoot(root('vol-z-root'), ctx)).rejects.toMatchObject({ kind: 'unreachable' });
    storage.simulation.hostDown = false;
    expect((await executor.load(volumeDecider, volumeStream('vol-z-root'))).state.status).toBe('creating'); // nothing recorded as failed
    for (const id of ['vol-y-root', 'vol-z-root']) await disks.releaseRoot(id, false, ctx);
    expect((await storage.list()).map((v) => v.volumeId)).not.toContain('vol-y-root');
    const states = await Promise.all(['vol-y-root', 'vol-z-root'].map(async (id) => (await executor.load(volumeDecider, volumeStream(id))).state.status));
    expect(states).toEqual(['deleted', 'deleted']);
  });

  it('HostClaims: a claim held once per instance, refused when the host is full, given back', async () => {
    const claims = app.get(HostClaims);
    const one = { vcpus: 16, ramMiB: 512, diskGiB: 5 }; // the host's 1 vCPU is 16 with Nova's ratio
    await claims.claim('host-1', 'inst-a', one, ctx);
    await claims.claim('host-1', 'inst-a', one, ctx);
    await expect(claims.claim('host-1', 'inst-b', one, ctx)).rejects.toMatchObject({ code: 'HostFull' });
    await claims.release('host-1', 'inst-a', ctx);
    await claims.claim('host-1', 'inst-b', one, ctx);
    const { state } = await executor.load(hostDecider, hostStream('host-1'));
    expect(state.status === 'registered' && Object.keys(state.claims)).toEqual(['inst-b']);
  });
});
