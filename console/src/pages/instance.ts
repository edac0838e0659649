import { ApiError, RecordedEvent, get, list } from '../api';
import { h, replace, table } from '../dom';
import { live } from '../live';
import { Instance } from './instances';
import { timeSlider } from './time-slider';

const details = (i: Instance, caption: string) =>
  table(
    caption,
    ['Field', 'Value'],
    [
      ['Name', i.name],
      ['State', h('span', { class: `state-${i.state}`, 'data-instance': i.name }, i.state)],
      ['Task', i.taskState ?? ''],
      ['Power', i.powerState],
      ['Addresses', i.addresses.map((a) => a.ip).join(', ')],
    ],
  );

/** One instance: its state now, its history from the log, and a slider over its own events. */
export async function instancePage(main: HTMLElement, signal: AbortSignal, id?: string): Promise<void> {
  const now = h('section');
  const history = h('section');
  const past = h('section');
  main.append(h('h2', {}, 'Instance'), now, past, history);
  const draw = async () => {
    const instance = await get<Instance>(`/v1/instances/${id}`);
    const events = await list<RecordedEvent>(`/v1/events?stream=instance-${id}`);
    replace(now, details(instance, `${instance.name} now`));
    replace(
      history,
      table(
        `History of ${instance.name}`,
        ['Position', 'Time', 'Event', 'By'],
        events.map((e) => [e.position, e.metadata.at, e.type, e.metadata.principal]),
      ),
    );
    return events;
  };
  const events = await draw();
  replace(
    past,
    h('h3', {}, 'As it was'),
    await timeSlider(
      `instance`,
      signal,
      async (position) => {
        try {
          return details(await get<Instance>(`/v1/instances/${id}?asOf=${position}`), `As of position ${position}`);
        } catch (error) {
          if (error instanceof ApiError && error.status === 404) return h('p', {}, 'It did not exist yet.');
          throw error;
        }
      },
      { min: events[0]?.position ?? 1, max: events[events.length - 1]?.position ?? 1 },
    ),
  );
  live(
    signal,
    (batch) => batch.some((e) => e.stream === `instance-${id}`),
    async () => void (await draw()),
  );
}
