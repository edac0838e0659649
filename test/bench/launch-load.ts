/**
 * The client side of bench:provision's single-launch latency, run as a process of its own (as real
 * clients are) so that its CPU does not compete with the orchestrator's event loop: `rounds` rounds
 * of `concurrency` single-instance launches over keep-alive connections. Prints the latencies (ms)
 * as one JSON array. Arguments: baseUrl token rounds concurrency.
 */
import * as http from 'node:http';

const [baseUrl, token, roundsText, concurrencyText] = process.argv.slice(2);
const rounds = Number(roundsText);
const concurrency = Number(concurrencyText);
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });

function launch(name: string): Promise<number> {
  const body = JSON.stringify({ name, flavor: 'bench', image: 'bench', networks: [{ network: 'bench' }] });
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${baseUrl}/v1/instances`,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` } },
      (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode !== 202) reject(new Error(`single launch refused: ${res.statusCode}`));
          else resolve(Number(process.hrtime.bigint() - started) / 1e6);
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function main(): Promise<void> {
  const latencies: number[] = [];
  for (let round = 0; round < rounds; round++) {
    latencies.push(...(await Promise.all(Array.from({ length: concurrency }, (_, i) => launch(`s${round}-${i}`)))));
  }
  agent.destroy();
  process.stdout.write(JSON.stringify(latencies));
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
