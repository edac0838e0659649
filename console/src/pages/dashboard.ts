import { list } from '../api';
import { live } from '../live';
import { h, replace, table } from '../dom';

type Instance = { state: string };
type Host = { name: string; capacity: { vcpus: number; ramMiB: number }; used: { vcpus: number; ramMiB: number } };
type Project = { name: string; quotas: Record<string, number>; usage: Record<string, number> };

const meter = (label: string, used: number, limit: number) =>
  limit > 0
    ? h('span', {}, h('meter', { min: 0, max: limit, value: used, 'aria-label': label }, `${used} of ${limit}`), ` ${used} of ${limit}`)
    : h('span', {}, `${used} (no limit)`);

/** Instances by state, host utilisation and quota use per project, refreshed as events arrive. */
export async function dashboardPage(main: HTMLElement, signal: AbortSignal): Promise<void> {
  const body = h('div');
  main.append(h('h2', {}, 'Dashboard'), body);
  const draw = async () => {
    const [instances, hosts, projects] = await Promise.all([
      list<Instance>('/v1/instances'),
      list<Host>('/v1/hosts'),
      list<Project>('/v1/projects').catch(() => []),
    ]);
    const byState = new Map<string, number>();
    for (const i of instances) byState.set(i.state, (byState.get(i.state) ?? 0) + 1);
    replace(
      body,
      h(
        'section',
        { 'aria-labelledby': 'by-state' },
        h('h3', { id: 'by-state' }, 'Instances by state'),
        h(
          'div',
          { class: 'cards' },
          ...[...byState].map(([state, n]) => h('div', { class: 'card', 'data-state': state }, h('strong', {}, n), state)),
          byState.size === 0 ? 'No instances yet.' : null,
        ),
      ),
      h(
        'section',
        {},
        table(
          'Host utilisation',
          ['Host', 'vCPUs used', 'RAM used (MiB)'],
          hosts.map((x) => [x.name, meter(`${x.name} vCPUs`, x.used.vcpus, x.capacity.vcpus), meter(`${x.name} RAM`, x.used.ramMiB, x.capacity.ramMiB)]),
        ),
      ),
      h(
        'section',
        {},
        table(
          'Quota use per project',
          ['Project', 'Instances', 'vCPUs', 'RAM (MiB)'],
          projects.map((p) => [p.name, ...['instances', 'vcpus', 'ramMiB'].map((k) => meter(`${p.name} ${k}`, p.usage[k] ?? 0, p.quotas[k] ?? -1))]),
        ),
      ),
    );
  };
  await draw();
  live(signal, (events) => events.some((e) => /^(Instance|Host|Quota)/.test(e.type)), draw);
}
