import request from 'supertest';

type Http = ReturnType<typeof request>;
export type VolumeRound = { nova: number; rest: number };

/**
 * bench:openstack's volume part: `count` volumes attached to `count` servers and detached again,
 * once through Nova's os-volume_attachments (the path of `openstack server add volume` and the SDK)
 * and once through REST, each first in turn; seconds from the first request until every volume is
 * in-use, then until every one is available again (polled over REST the same way for both).
 */
export async function attachDetachRounds(http: Http, token: string, instanceIds: string[], rounds: number): Promise<VolumeRound[]> {
  const auth = { Authorization: `Bearer ${token}` };
  const volumes: string[] = [];
  for (let i = 0; i < instanceIds.length; i++) {
    volumes.push(
      (
        await http
          .post('/v1/volumes')
          .set(auth)
          .send({ name: `bench-${i}`, sizeGiB: 1 })
      ).body.volume.id as string,
    );
  }
  await allIn(http, auth, volumes, 'available');

  const viaNova = async () => {
    const started = process.hrtime.bigint();
    await Promise.all(
      volumes.map((volumeId, i) =>
        http
          .post(`/compute/v2.1/servers/${instanceIds[i]}/os-volume_attachments`)
          .set({ 'X-Auth-Token': token })
          .send({ volumeAttachment: { volumeId } })
          .expect(200),
      ),
    );
    await allIn(http, auth, volumes, 'in-use');
    await Promise.all(
      volumes.map((volumeId, i) =>
        http.delete(`/compute/v2.1/servers/${instanceIds[i]}/os-volume_attachments/${volumeId}`).set({ 'X-Auth-Token': token }).expect(202),
      ),
    );
    await allIn(http, auth, volumes, 'available');
    return Number(process.hrtime.bigint() - started) / 1e9;
  };
  const viaRest = async () => {
    const started = process.hrtime.bigint();
    await Promise.all(volumes.map((volumeId, i) => http.post(`/v1/volumes/${volumeId}/attach`).set(auth).send({ instanceId: instanceIds[i] }).expect(202)));
    await allIn(http, auth, volumes, 'in-use');
    await Promise.all(volumes.map((volumeId) => http.post(`/v1/volumes/${volumeId}/detach`).set(auth).expect(202)));
    await allIn(http, auth, volumes, 'available');
    return Number(process.hrtime.bigint() - started) / 1e9;
  };
  const results: VolumeRound[] = [];
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) results.push({ nova: await viaNova(), rest: await viaRest() });
    else {
      const rest = await viaRest();
      results.push({ nova: await viaNova(), rest });
    }
  }
  return results;
}

async function allIn(http: Http, auth: Record<string, string>, volumeIds: string[], status: string): Promise<void> {
  for (;;) {
    const statuses = await Promise.all(volumeIds.map(async (id) => (await http.get(`/v1/volumes/${id}`).set(auth)).body.status as string));
    if (statuses.every((s) => s === status)) return;
    if (statuses.includes('error')) throw new Error(`a volume ended in error waiting for ${status}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
