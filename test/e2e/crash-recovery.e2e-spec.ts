import { ADMIN_PASSWORD, StoreUnderTest } from '../support/app';
import { reportChaos } from '../support/chaos-report';
import { ClusterBacking, Orchestrator, createClusterBacking, startOrchestrator } from '../support/cluster';
import { Api, api, listAll, prepareSimulatedCloud } from '../support/cluster-cloud';
import { eventually } from '../support/eventually';
import { leftovers } from '../support/leftovers';
import { RunningProcess, freePort, startProcess } from '../support/processes';
import { describeWithPostgres } from '../support/services';

const KILLS = 10;
const PER_LAUNCH = 30;
const HOSTS = 3;
/** Rounds in which an agent is killed too, while the orchestrator is down. */
const AGENT_KILLS = new Set([2, 5, 8]);

type Kill = { round: number; at: number; launched: string[]; activeAtKill: number };

/**
 * The orchestrator as a real process, SIGKILLed ten times, each time while a launch it accepted is
 * half done (asserted before the kill, and proven after it by instances of that launch activated
 * later), and started again. Its hosts are driven by standalone agents (real processes over the
 * simulated hosts' state files), which go on working while it is dead; three of them are killed
 * too. Deletes are accepted along the way. In the end every instance accepted is active (or
 * deleted, if its delete was accepted) and nothing is orphaned: the hosts hold exactly the active
 * instances' domains, ports and volumes, and claims, addresses, ports and quota match them. What a
 * kill leaves on a host that no saga takes back (a CI run saw one switch port) is the reconcilers'
 * to remove, recorded as OrphanRemoved and named in the chaos row.
 */
for (const store of ['embedded', 'postgres'] as StoreUnderTest[]) {
  (store === 'postgres' ? describeWithPostgres : describe)(`Crash recovery with standalone agents (${store}, ten kills in flight)`, () => {
    let backing: ClusterBacking;
    let port: number;
    let orchestrator: Orchestrator | null = null;
    let admin: Api;
    const agents = new Map<string, RunningProcess>();

    const startOrchestratorHere = async () => {
      orchestrator = await startOrchestrator(backing, { ORCH_RELAY: 'off', ORCH_BILLING: 'off' }, port);
    };
    const startAgent = async (host: string) => {
      agents.set(
        host,
        await startProcess('agent', ['--host', host], { ...backing.env, ORCH_SIM_LATENCY_MS: '25', ORCH_LOG_LEVEL: 'info' }, 'compute agent running'),
      );
    };
    const agentsOnHosts = async () => ((await admin.get('/v1/hosts')).body.items as Array<{ agent: string | null }>).filter((h) => h.agent).length;
    const instancesOf = async (ids: string[]) => {
      const wanted = new Set(ids);
      return (await listAll(admin, '/v1/instances')).filter((i) => wanted.has(i.id));
    };

    beforeAll(async () => {
      // The reconcilers run as in production (a shorter interval and grace, for the test's time):
      // what a kill leaves on a host that no saga will take back is theirs to find and remove.
      backing = await createClusterBacking({ ORCH_LOG_LEVEL: 'warn', ORCH_RECONCILE_INTERVAL_MS: '3000', ORCH_ORPHAN_GRACE_MS: '2000' }, store);
      port = await freePort();
      await startOrchestratorHere();
      const token = (await api(orchestrator!.url).post('/v1/auth/tokens', { username: 'admin', password: ADMIN_PASSWORD, project: 'admin' })).body.token;
      admin = api(orchestrator!.url, token);
      await prepareSimulatedCloud(admin, HOSTS);
      for (let h = 0; h < HOSTS; h++) await startAgent(`sim-${h}`);
      await eventually(agentsOnHosts, (n) => n === HOSTS, 'every host taken over by its agent');
    }, 180_000);

    afterAll(async () => {
      await orchestrator?.stop('SIGKILL');
      for (const agent of agents.values()) await agent.stop('SIGKILL');
      await backing?.destroy();
    });

    it('loses nothing accepted and orphans nothing through ten SIGKILLs landing mid-launch (and three of agents)', async () => {
      const launched: string[] = [];
      const deleted = new Set<string>();
      const kills: Kill[] = [];
      let acknowledged = 0;
      let fiveXx = 0;
      for (let round = 0; round < KILLS; round++) {
        const launch = await admin.post('/v1/instances', {
          name: `r${round}`,
          flavor: 'tiny',
          image: 'img',
          networks: [{ network: 'net' }],
          minCount: PER_LAUNCH,
          maxCount: PER_LAUNCH,
        });
        expect(launch.status).toBe(202);
        acknowledged++;
        const ids: string[] = launch.body.instances.map((i: { id: string }) => i.id);
        launched.push(...ids);
        // Deletes of instances earlier rounds left active, accepted while this launch runs.
        const earlier = (await instancesOf(launched.slice(0, -PER_LAUNCH))).filter((i) => i.state === 'active').slice(0, 4);
        for (const victim of earlier) {
          const answer = await admin.delete(`/v1/instances/${victim.id}`);
          if (answer.status >= 500) fiveXx++;
          expect(answer.status).toBe(202);
          acknowledged++;
          deleted.add(victim.id);
        }
        // Kill once the launch has visibly started but is still far from done.
        const midway = await eventually(
          async () => (await instancesOf(ids)).filter((i) => i.state === 'active').length,
          (active) => active >= 1,
          `round ${round}: the launch under way`,
          60_000,
          20,
        );
        expect(midway).toBeLessThan(PER_LAUNCH);
        kills.push({ round, at: Date.now(), launched: ids, activeAtKill: midway });
        await orchestrator!.stop('SIGKILL');
        if (AGENT_KILLS.has(round)) {
          const host = `sim-${round % HOSTS}`;
          await agents.get(host)!.stop('SIGKILL');
          await startAgent(host);
        }
        await startOrchestratorHere();
      }

      const all = await eventually(
        () => listAll(admin, '/v1/instances'),
        (items) => items.every((i) => !deleted.has(i.id) && (i.state === 'active' || i.state === 'error')),
        'every instance settled',
        240_000,
        500,
      );
      const recoverSeconds = (Date.now() - kills[kills.length - 1].at) / 1000;
      const byId = new Map(all.map((i) => [i.id, i]));
      // A deleted instance leaves the list; any other accepted one must be there, active.
      const lost = launched.filter((id) => (deleted.has(id) ? byId.has(id) : byId.get(id)?.state !== 'active'));
      const left = await eventually(
        () => leftovers(backing.stateDir, admin, all),
        (l) => l.orphans.length === 0 && l.missing.length === 0,
        'hosts and books equal to the active instances',
        60_000,
        1_000,
      ).catch(() => leftovers(backing.stateDir, admin, all));
      const removed = ((await admin.get('/v1/events?limit=1000&type=OrphanRemoved')).body.items as Array<{ data: { kind: string; id: string } }>).map(
        (e) => `${e.data.kind} ${e.data.id}`,
      );

      // Each kill landed while its launch was in flight: instances of it became active only after.
      for (const kill of kills) {
        const later = await activatedAfter(admin, kill);
        expect({ round: kill.round, activatedAfterKill: later > 0 }).toEqual({ round: kill.round, activatedAfterKill: true });
      }
      reportChaos({
        scenario: `orchestrator SIGKILLed mid-launch, agents drive hosts (${store})`,
        load: `${KILLS} launches of ${PER_LAUNCH} + ${deleted.size} deletes`,
        faults: `${KILLS} orchestrator kills, ${AGENT_KILLS.size} agent kills`,
        acknowledged,
        lost: lost.length + left.missing.length,
        orphans: left.orphans.length,
        fiveXx,
        recoverSeconds,
        notes: `acknowledged = launch and delete requests (${launched.length} instances); time to recover from the last kill; orphans the reconcilers removed: ${removed.length ? removed.join(', ') : 'none'}`,
      });
      expect(all.length).toBe(KILLS * PER_LAUNCH - deleted.size);
      expect(lost.map((id) => `${id} ${byId.get(id)?.state}`)).toEqual([]);
      expect(left).toEqual({ orphans: [], missing: [] });
    }, 900_000);
  });
}

/** How many instances of the kill's launch were activated after the kill (from the log's record times). */
async function activatedAfter(admin: Api, kill: Kill): Promise<number> {
  const ids = new Set(kill.launched);
  let count = 0;
  for (let after = 0; ;) {
    const page = (await admin.get(`/v1/events?limit=1000&after=${after}&type=InstanceActivated`)).body.items as Array<{
      position: number;
      data: { instanceId: string; at: string };
    }>;
    if (page.length === 0) return count;
    for (const e of page) if (ids.has(e.data.instanceId) && Date.parse(e.data.at) > kill.at) count++;
    after = page[page.length - 1].position;
  }
}
