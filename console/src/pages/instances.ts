import { ApiError, call, get, list } from '../api';
import { h, replace, table } from '../dom';
import { live } from '../live';
import { launchForm } from './launch-form';
import { timeSlider } from './time-slider';

export type Instance = { id: string; name: string; state: string; taskState: string | null; powerState: string; addresses: Array<{ ip: string }> };

const ACTIONS: Record<string, string[]> = { active: ['stop', 'reboot'], stopped: ['start'], error: [] };

/** Instances, live: the launch form with its progress, actions, and the list as of any moment. */
export async function instancesPage(main: HTMLElement, signal: AbortSignal): Promise<void> {
  const status = h('p', { role: 'status', 'aria-live': 'polite' });
  const listArea = h('div');
  const asOfArea = h('div');
  main.append(
    h('h2', {}, 'Instances'),
    await launchForm(signal),
    h('section', {}, listArea, status),
    h('section', {}, h('h3', {}, 'The list as it was'), asOfArea),
  );

  const act = async (instance: Instance, action: string) => {
    status.textContent = `${action} ${instance.name}…`;
    try {
      if (action === 'delete') await call('DELETE', `/v1/instances/${instance.id}`);
      else await call('POST', `/v1/instances/${instance.id}/actions`, { action });
      status.textContent = `${action} of ${instance.name} accepted`;
    } catch (error) {
      status.textContent = `${action} of ${instance.name} refused: ${error instanceof ApiError ? error.message : String(error)}`;
    }
  };
  const draw = async () => {
    const instances = await list<Instance>('/v1/instances');
    replace(listArea, instanceTable('Instances now', instances, act));
  };
  await draw();
  live(signal, (events) => events.some((e) => e.type.startsWith('Instance')), draw);
  asOfArea.append(await timeSlider('instances', signal, (position) => instancesAsOf(position)));
}

export function instanceTable(caption: string, instances: Instance[], act?: (i: Instance, action: string) => Promise<void>): HTMLTableElement {
  return table(
    caption,
    ['Name', 'State', 'Power', 'Addresses', ...(act ? ['Actions'] : [])],
    instances
      .sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }))
      .map((i) => [
        h('a', { href: `#/instance/${i.id}` }, i.name),
        h('span', { class: `state-${i.state}`, 'data-instance': i.name }, i.taskState ? `${i.state} (${i.taskState})` : i.state),
        i.powerState,
        i.addresses.map((a) => a.ip).join(', '),
        ...(act
          ? [
              h(
                'span',
                {},
                ...[...(ACTIONS[i.state] ?? []), 'delete'].map((action) =>
                  h('button', { type: 'button', 'aria-label': `${action} ${i.name}`, onclick: () => void act(i, action) }, action),
                ),
              ),
            ]
          : []),
      ]),
    { 'data-list': caption },
  );
}

/** The instance list as of a position: every instance known now (deleted ones too) read as of then. */
async function instancesAsOf(position: number): Promise<HTMLElement> {
  const known = [...(await list<Instance>('/v1/instances')), ...(await list<Instance>('/v1/instances?state=deleted'))];
  const then = await Promise.all(
    known.map((i) =>
      get<Instance>(`/v1/instances/${i.id}?asOf=${position}`).catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 404) return null; // not yet launched then
        throw error;
      }),
    ),
  );
  return instanceTable(
    `Instances as of position ${position}`,
    then.filter((i): i is Instance => i !== null && i.state !== 'deleted'),
  );
}
