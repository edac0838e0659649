/**
 * npm run bench:ec2: the EC2 Query API beside REST, one run per store, on 20 simulated hosts.
 * 1. RunInstances of 1,000 and `POST /v1/instances` of 1,000, each first in turn (BENCH_ROUNDS pairs):
 *    the answer's time, and the time until all are active (polled through the launch's operation the
 *    same way); ratio REST / EC2 of the medians (1 = as fast; the target is >= 0.9).
 * 2. DescribeInstances of 1,000 instances (MaxResults=1000), BENCH_LISTS times: p50/p99 of the server's
 *    own time (its access log) and the bytes answered.
 * 3. SigV4's cost: the CPU time of authenticating one signed request (reading the claim, the time check,
 *    the key's grant from the read model, the HMACs), and of the signature's own work alone, averaged
 *    over BENCH_AUTHS calls, as shares of the server's time for the cheapest signed request
 *    (DescribeRegions) and for DescribeInstances of one instance (the target: at most 5%).
 * Prints figures, checks nothing. Knobs: BENCH_INSTANCES (1000), BENCH_ROUNDS (2), BENCH_LISTS (30),
 * BENCH_AUTHS (2000), BENCH_STORES (embedded,postgres).
 */
import { ID_PREFIX_INDEX, IdPrefixIndex } from '../../src/application/ports/id-prefix-index.port';
import { Ec2Authenticator } from '../../src/interfaces/ec2/ec2-authenticator';
import { checkSigV4Time, readSigV4, verifySigV4 } from '../../src/interfaces/ec2/sigv4';
import { AccessLine, onEachStore, startBenchCloud } from './bench-cloud';
import { signedEc2Post } from './ec2-signer';

const COUNT = Number(process.env.BENCH_INSTANCES ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const LISTS = Number(process.env.BENCH_LISTS ?? 30);
const AUTHS = Number(process.env.BENCH_AUTHS ?? 2000);
const HOSTS = 20;

type Times = { p50: number; p99: number; bytes: number };
type Result = {
  store: string;
  ec2Answer: number[];
  ec2Seconds: number[];
  restAnswer: number[];
  restSeconds: number[];
  ratio: number;
  describe: Times;
  sigv4: { microsPerAuth: number; mathMicros: number; regionsMs: number; oneInstanceMs: number; shareOfRegions: number; shareOfOneInstance: number };
};

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
const seconds = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e9;

async function run(store: 'embedded' | 'postgres', databaseUrl?: string): Promise<Result> {
  const cloud = await startBenchCloud(store, databaseUrl, HOSTS);
  const { app, base, http, auth, access, untilDone, imageId: image } = cloud;
  try {
    const key = (await http.post('/v1/access-keys').set(auth).send({})).body as { accessKeyId: string; secretAccessKey: string };
    const ec2 = async (body: string, requestId = `bench-${Math.random()}`) => {
      const url = `${base}/ec2`;
      const response = await fetch(url, { method: 'POST', headers: { ...signedEc2Post(url, body, key), 'x-request-id': requestId }, body });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`EC2 ${body.split('&')[0]}: ${response.status} ${text.slice(0, 300)}`);
      return text;
    };
    const index = app.get<IdPrefixIndex>(ID_PREFIX_INDEX);
    const ami = `ami-${image.slice(4, 21)}`;
    const ec2Answer: number[] = [];
    const ec2Seconds: number[] = [];
    const restAnswer: number[] = [];
    const restSeconds: number[] = [];
    const launchEc2 = async () => {
      const started = process.hrtime.bigint();
      const xml = await ec2(`Action=RunInstances&Version=2016-11-15&ImageId=${ami}&InstanceType=bench&MinCount=${COUNT}&MaxCount=${COUNT}`);
      ec2Answer.push(seconds(started));
      const first = /<instanceId>i-([0-9a-f]{17})<\/instanceId>/.exec(xml)?.[1] as string;
      const [instanceId] = await index.idsStartingWith('instance', `inst-${first}`, 1);
      const operationId = (await http.get(`/v1/instances/${instanceId}`).set(auth)).body.operationId as string;
      ec2Seconds.push(await untilDone(operationId, started));
    };
    const launchRest = async (round: number) => {
      const started = process.hrtime.bigint();
      const rest = await http
        .post('/v1/instances')
        .set(auth)
        .send({ name: `r${round}`, flavor: 'bench', image: 'bench', networks: [{ network: 'bench' }], minCount: COUNT, maxCount: COUNT });
      if (rest.status !== 202) throw new Error(`REST launch refused: ${rest.status} ${JSON.stringify(rest.body)}`);
      restAnswer.push(seconds(started));
      restSeconds.push(await untilDone(rest.body.operation.id, started));
    };
    // Alternately first, so that neither always launches onto the fuller cloud.
    for (let round = 0; round < ROUNDS; round++) {
      if (round % 2 === 0) {
        await launchEc2();
        await launchRest(round);
      } else {
        await launchRest(round);
        await launchEc2();
      }
    }

    const serverMs = async (body: string, times: number): Promise<Times> => {
      const ms: number[] = [];
      let bytes = 0;
      for (let i = 0; i < times; i++) {
        const requestId = `bench-${i}-${Math.random()}`;
        bytes = (await ec2(body, requestId)).length;
        ms.push((access.find((a) => a.requestId === requestId) as AccessLine).ms);
      }
      ms.sort((a, b) => a - b);
      return { p50: percentile(ms, 50), p99: percentile(ms, 99), bytes };
    };
    const describe = await serverMs('Action=DescribeInstances&Version=2016-11-15&MaxResults=1000', LISTS);
    const oneId = /<instanceId>(i-[0-9a-f]{17})<\/instanceId>/.exec(await ec2('Action=DescribeInstances&Version=2016-11-15&MaxResults=5'))?.[1] as string;
    const regions = await serverMs('Action=DescribeRegions&Version=2016-11-15', 200);
    const oneInstance = await serverMs(`Action=DescribeInstances&Version=2016-11-15&InstanceId.1=${oneId}`, 200);

    // The authentication alone, in this process, on the same signed request.
    const authenticator = app.get(Ec2Authenticator);
    const body = 'Action=DescribeRegions&Version=2016-11-15';
    const headers = signedEc2Post(`${base}/ec2`, body, key);
    const signed = { method: 'POST', path: '/ec2', query: [], headers, body: Buffer.from(body) };
    for (let i = 0; i < 200; i++) await authenticator.principalOf(signed); // warm up
    const cpuMicros = async (call: () => unknown) => {
      const cpu = process.cpuUsage();
      for (let i = 0; i < AUTHS; i++) await call();
      const used = process.cpuUsage(cpu);
      return (used.user + used.system) / AUTHS;
    };
    const microsPerAuth = await cpuMicros(() => authenticator.principalOf(signed));
    // The signature's own work, without the key's lookup (which a bearer token's request pays too).
    const mathMicros = await cpuMicros(() => {
      const claim = readSigV4(signed);
      checkSigV4Time(claim, Date.now());
      verifySigV4(signed, claim, key.secretAccessKey);
    });
    return {
      store,
      ec2Answer,
      ec2Seconds,
      restAnswer,
      restSeconds,
      ratio: median(restSeconds) / median(ec2Seconds),
      describe,
      sigv4: {
        microsPerAuth,
        mathMicros,
        regionsMs: regions.p50,
        oneInstanceMs: oneInstance.p50,
        shareOfRegions: microsPerAuth / 1000 / regions.p50,
        shareOfOneInstance: microsPerAuth / 1000 / oneInstance.p50,
      },
    };
  } finally {
    await cloud.close();
  }
}

function print(r: Result): void {
  const s = (values: number[]) => values.map((v) => v.toFixed(2)).join(', ');
  const pct = (share: number) => `${(share * 100).toFixed(1)}%`;
  process.stdout.write(
    `\n${r.store}: ${COUNT} instances in one request: RunInstances answered in ${s(r.ec2Answer)} s, all active after ${s(r.ec2Seconds)} s; ` +
      `POST /v1/instances answered in ${s(r.restAnswer)} s, all active after ${s(r.restSeconds)} s; ratio REST/EC2 (medians) ${r.ratio.toFixed(2)}\n` +
      `  DescribeInstances MaxResults=1000 (${ROUNDS * 2 * COUNT} instances in the project): server time p50 ${r.describe.p50} ms, p99 ${r.describe.p99} ms, ${(r.describe.bytes / 1024).toFixed(0)} KiB\n` +
      `  SigV4 authentication: ${r.sigv4.microsPerAuth.toFixed(0)} µs CPU per request (of which the signature itself ${r.sigv4.mathMicros.toFixed(0)} µs, the rest the key's lookup) = ` +
      `${pct(r.sigv4.shareOfRegions)} of DescribeRegions (p50 ${r.sigv4.regionsMs} ms), ${pct(r.sigv4.shareOfOneInstance)} of DescribeInstances of one instance (p50 ${r.sigv4.oneInstanceMs} ms); ` +
      `the signature alone ${pct(r.sigv4.mathMicros / 1000 / r.sigv4.regionsMs)} and ${pct(r.sigv4.mathMicros / 1000 / r.sigv4.oneInstanceMs)}\n`,
  );
}

async function main(): Promise<void> {
  const results = await onEachStore('orch_bench_ec2', run, print);
  process.stdout.write(`\n${JSON.stringify({ benchmark: 'ec2', instances: COUNT, rounds: ROUNDS, results })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${String(error)}\n`);
  process.exit(1);
});
