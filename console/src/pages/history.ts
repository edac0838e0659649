import { ApiError, RecordedEvent, get, list } from '../api';
import { h, replace, table } from '../dom';
import { live } from '../live';
import { timeSlider } from './time-slider';

/** Streams whose resource the API reads as of a past position (`GET <path>/{id}?asOf=`). */
const AS_OF_PATHS: Record<string, string> = { volume: '/v1/volumes', network: '/v1/networks', instance: '/v1/instances' };

const fields = (resource: Record<string, unknown>, caption: string) =>
  table(
    caption,
    ['Field', 'Value'],
    Object.entries(resource).map(([key, value]) => [key, typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value ?? '')]),
  );

/** Any resource's history: the events of its stream (`volume-vol-…`), and for those the API rebuilds, a slider over them. */
export async function historyPage(main: HTMLElement, signal: AbortSignal, stream?: string): Promise<void> {
  const name = decodeURIComponent(stream ?? '');
  const events = h('section');
  const past = h('section');
  main.append(h('h2', {}, `History of ${name}`), past, events);
  const draw = async () => {
    const items = await list<RecordedEvent>(`/v1/events?stream=${encodeURIComponent(name)}`);
    replace(
      events,
      table(
        `Events of ${name}`,
        ['Position', 'Time', 'Event', 'By', 'Data'],
        items.map((e) => [e.position, e.metadata.at, e.type, e.metadata.principal, JSON.stringify(e.data)]),
      ),
    );
    return items;
  };
  const items = await draw();
  const kind = Object.keys(AS_OF_PATHS).find((k) => name.startsWith(`${k}-`));
  if (kind && items.length > 0) {
    const id = name.slice(kind.length + 1);
    replace(
      past,
      h('h3', {}, 'As it was'),
      await timeSlider(
        'history',
        signal,
        async (position) => {
          try {
            return fields(await get<Record<string, unknown>>(`${AS_OF_PATHS[kind]}/${encodeURIComponent(id)}?asOf=${position}`), `As of position ${position}`);
          } catch (error) {
            if (error instanceof ApiError && error.status === 404) return h('p', {}, 'It did not exist yet.');
            throw error;
          }
        },
        { min: items[0].position, max: items[items.length - 1].position },
      ),
    );
  }
  live(
    signal,
    (batch) => batch.some((e) => e.stream === name),
    async () => void (await draw()),
  );
}
