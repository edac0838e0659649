/**
 * npm run bench:openstack: the OpenStack APIs beside REST, in one run per store, on 20 simulated hosts.
 * 1. 1,000 servers in one Nova request (min_count = max_count = 1000) and 1,000 instances in one
 *    `POST /v1/instances`, each first in turn (BENCH_ROUNDS pairs): time until all are active, each polled
 *    through its operation the same way; ratio REST time / Nova time (1 = as fast; the target is >= 0.9).
 * 2. `GET /compute/v2.1/servers/detail` and `GET /v1/instances?limit=1000` with those servers listed
 *    (2,000 of them per round), BENCH_LISTS times each: p50/p99 of the server's own time (from its
 *    access log), and the bytes answered.
 * 3. `openstack server list` (the real CLI, at most 1,000 servers shown): wall time, the server's time
 *    over every request it made (from the access log), and the rest: the client's own start-up and work.
 * 4. 50 volumes attached to 50 of the servers and detached, through Nova's os-volume_attachments and
 *    through REST, each first in turn (BENCH_VOLUME_ROUNDS pairs): seconds until all in-use and
 *    available again; ratio REST time / Nova time.
 * 5. On this machine's libvirt and Open vSwitch (once, not per store): a real guest behind a router; its
 *    floating IP associated through Neutron BENCH_NAT_ROUNDS times: ms from the request to the first
 *    echo reply through NAT, and from the disassociation to silence (see openstack-nat.ts).
 * Prints figures, checks nothing. Knobs: BENCH_INSTANCES (1000), BENCH_ROUNDS (2), BENCH_LISTS (30),
 * BENCH_STORES (embedded,postgres), BENCH_NAT_ROUNDS (5).
 */
import { execFile } from 'node:child_process';
import * as os from 'node:os';
import { VolumeRound, attachDetachRounds } from './openstack-volumes';
import { natFigures } from './openstack-nat';
import { AccessLine, BENCH_PASSWORD as PASSWORD, onEachStore, startBenchCloud } from './bench-cloud';

const COUNT = Number(process.env.BENCH_INSTANCES ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const LISTS = Number(process.env.BENCH_LISTS ?? 30);
const HOSTS = 20;
const VOLUMES = 50;
const VOLUME_ROUNDS = Number(process.env.BENCH_VOLUME_ROUNDS ?? 4);

type ListFigures = { p50: number; p99: number; bytes: number };
type Result = {
  store: string;
  novaSeconds: number[];
  restSeconds: number[];
  ratio: number;
  novaDetail: ListFigures;
  restList: ListFigures;
  cli: { wallMs: number; serverMs: number; requests: number; clientMs: number; servers: number };
  volumes: VolumeRound[];
  volumeRatio: number;
};

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

async function run(store: 'embedded' | 'postgres', databaseUrl?: string): Promise<Result> {
  const cloud = await startBenchCloud(store, databaseUrl, HOSTS);
  const { http, token, auth, base, access, untilDone, networkId: network } = cloud;
  try {
    await http
      .patch(`/v1/projects/${cloud.projectId}`)
      .set(auth)
      .send({ quotas: { volumes: -1, volumeGiB: -1 } });
    const novaSeconds: number[] = [];
    const restSeconds: number[] = [];
    const launchNova = async (round: number): Promise<number> => {
      const started = process.hrtime.bigint();
      const nova = await http
        .post('/compute/v2.1/servers')
        .set({ 'X-Auth-Token': token })
        .send({ server: { name: `n${round}`, imageRef: 'bench', flavorRef: 'bench', networks: [{ uuid: network }], min_count: COUNT, max_count: COUNT } });
      if (nova.status !== 202) throw new Error(`Nova launch refused: ${nova.status} ${JSON.stringify(nova.body)}`);
      const operationId = (await http.get(`/v1/instances/${nova.body.server.id}`).set(auth)).body.operationId as string;
      return untilDone(operationId, started);
    };
    const launchRest = async (round: number): Promise<number> => {
      const started = process.hrtime.bigint();
      const rest = await http
        .post('/v1/instances')
        .set(auth)
        .send({ name: `r${round}`, flavor: 'bench', image: 'bench', networks: [{ network: 'bench' }], minCount: COUNT, maxCount: COUNT });
      if (rest.status !== 202) throw new Error(`REST launch refused: ${rest.status} ${JSON.stringify(rest.body)}`);
      return untilDone(rest.body.operation.id, started);
    };
    // Alternately first, so that neither always launches onto the fuller cloud.
    for (let round = 0; round < ROUNDS; round++) {
      if (round % 2 === 0) {
        novaSeconds.push(await launchNova(round));
        restSeconds.push(await launchRest(round));
      } else {
        restSeconds.push(await launchRest(round));
        novaSeconds.push(await launchNova(round));
      }
    }

    const listTimes = async (path: string, headers: Record<string, string>): Promise<ListFigures> => {
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < LISTS; i++) {
        const requestId = `bench-list-${i}-${Math.random()}`;
        const response = await http.get(path).set({ ...headers, 'X-Request-Id': requestId });
        if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
        bytes = response.text.length;
        times.push((access.find((a) => a.requestId === requestId) as AccessLine).ms);
      }
      times.sort((a, b) => a - b);
      return { p50: percentile(times, 50), p99: percentile(times, 99), bytes };
    };
    // 50 volumes on 50 of the servers, attached and detached through Nova beside REST.
    const servers = (await http.get(`/v1/instances?limit=${VOLUMES}`).set(auth)).body.items.map((i: { id: string }) => i.id) as string[];
    const volumes = await attachDetachRounds(http, token, servers, VOLUME_ROUNDS);
    const novaDetail = await listTimes('/compute/v2.1/servers/detail', { 'X-Auth-Token': token });
    const restList = await listTimes('/v1/instances?limit=1000', auth);

    const before = access.length;
    const cliStarted = process.hrtime.bigint();
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(
        '/usr/bin/openstack',
        ['server', 'list', '--limit', '1000', '-f', 'value', '-c', 'ID'],
        {
          env: {
            PATH: '/usr/bin:/bin',
            HOME: os.tmpdir(),
            OS_AUTH_URL: `${base}/identity/v3`,
            OS_USERNAME: 'admin',
            OS_PASSWORD: PASSWORD,
            OS_PROJECT_NAME: 'admin',
            OS_USER_DOMAIN_NAME: 'Default',
            OS_PROJECT_DOMAIN_NAME: 'Default',
            OS_IDENTITY_API_VERSION: '3',
            OS_REGION_NAME: 'RegionOne',
          },
          maxBuffer: 64 * 1024 * 1024,
        },
        (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
      ),
    );
    const wallMs = Number(process.hrtime.bigint() - cliStarted) / 1e6;
    const cliRequests = access.slice(before);
    const serverMs = cliRequests.reduce((sum, a) => sum + a.ms, 0);
    return {
      store,
      novaSeconds,
      restSeconds,
      ratio: median(restSeconds) / median(novaSeconds),
      novaDetail,
      restList,
      cli: { wallMs, serverMs, requests: cliRequests.length, clientMs: wallMs - serverMs, servers: stdout.trim().split('\n').length },
      volumes,
      volumeRatio: median(volumes.map((v) => v.rest)) / median(volumes.map((v) => v.nova)),
    };
  } finally {
    await cloud.close();
  }
}

function print(r: Result): void {
  const seconds = (values: number[]) => values.map((s) => s.toFixed(2)).join(', ');
  process.stdout.write(
    `\n${r.store}: ${COUNT} servers in one request until all active: Nova ${seconds(r.novaSeconds)} s; REST ${seconds(r.restSeconds)} s; ` +
      `ratio REST/Nova (medians) ${r.ratio.toFixed(2)}\n` +
      `  GET /compute/v2.1/servers/detail (${ROUNDS * 2 * COUNT} servers listed, at most 1000 shown): server time p50 ${r.novaDetail.p50} ms, p99 ${r.novaDetail.p99} ms, ${(r.novaDetail.bytes / 1024).toFixed(0)} KiB\n` +
      `  GET /v1/instances?limit=1000: server time p50 ${r.restList.p50} ms, p99 ${r.restList.p99} ms, ${(r.restList.bytes / 1024).toFixed(0)} KiB\n` +
      `  ${VOLUMES} volumes attached and detached (until in-use, then available): Nova ${seconds(r.volumes.map((v) => v.nova))} s; REST ${seconds(r.volumes.map((v) => v.rest))} s; ratio REST/Nova ${r.volumeRatio.toFixed(2)}\n` +
      `  openstack server list (${r.cli.servers} shown): wall ${r.cli.wallMs.toFixed(0)} ms = server ${r.cli.serverMs.toFixed(0)} ms over ${r.cli.requests} requests + client ${r.cli.clientMs.toFixed(0)} ms\n`,
  );
}

async function main(): Promise<void> {
  const results = await onEachStore('orch_bench_openstack', run, print);
  const nat = await natFigures(Number(process.env.BENCH_NAT_ROUNDS ?? 5));
  if ('skipped' in nat) process.stdout.write(`\nNAT on a real host: not measured (${nat.skipped})\n`);
  else {
    const ms = (values: number[]) => `${values.map((v) => v.toFixed(0)).join(', ')} ms (median ${median(values).toFixed(0)})`;
    process.stdout.write(
      `\nfloating IP through NAT on a real host: association to first echo reply ${ms(nat.msToFirstPacket)}; disassociation to silence ${ms(nat.msToSilence)}\n`,
    );
  }
  process.stdout.write(`\n${JSON.stringify({ benchmark: 'openstack', instances: COUNT, rounds: ROUNDS, results, nat })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${String(error)}\n`);
  process.exit(1);
});
