/** A steady stream of requests through a load balancer, counting those that failed (a 5xx or no answer at all). */
export type Traffic = { stop(): Promise<{ sent: number; failed: number; failures: string[] }> };

/**
 * `workers` clients, each sending one request after another: reads of the instance list and of an
 * operation, and writes (flavors) that carry an Idempotency-Key as a client that retries should.
 */
export function keepAsking(url: string, token: string, operationId: string, workers = 4): Traffic {
  let running = true;
  let sent = 0;
  const failures: string[] = [];
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  const one = async (n: number): Promise<void> => {
    const kind = n % 3;
    const at = new Date().toISOString();
    try {
      const response =
        kind === 0
          ? await fetch(`${url}/v1/instances?limit=20`, { headers })
          : kind === 1
            ? await fetch(`${url}/v1/operations/${operationId}`, { headers })
            : await fetch(`${url}/v1/flavors`, {
                method: 'POST',
                headers: { ...headers, 'Idempotency-Key': `traffic-${n}` },
                body: JSON.stringify({ name: `traffic-${n}`, vcpus: 1, ramMiB: 64, diskGiB: 1 }),
              });
      await response.arrayBuffer();
      if (response.status >= 500) failures.push(`${at} ${kind} ${response.status}`);
    } catch (error) {
      failures.push(`${at} ${kind} ${String(error)}`);
    }
  };
  let counter = 0;
  const loops = Array.from({ length: workers }, async () => {
    while (running) {
      sent++;
      await one(counter++);
    }
  });
  return {
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return { sent, failed: failures.length, failures };
    },
  };
}
