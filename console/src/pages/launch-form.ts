import { ApiError, RecordedEvent, call, follow, get, list } from '../api';
import { field, h, replace } from '../dom';
import { LAUNCH_STATES, STATE_AFTER } from '../../../src/cli/shared/event-stream-messages';

type Named = { id: string; name: string };

/** The launch form; its progress comes from the event stream until every instance is active or failed. */
export async function launchForm(signal: AbortSignal): Promise<HTMLElement> {
  const [flavors, images, networks] = await Promise.all([list<Named>('/v1/flavors'), list<Named>('/v1/images'), list<Named>('/v1/networks')]);
  const options = (items: Named[]) => items.map((i) => h('option', { value: i.name }, i.name));
  const name = h('input', { name: 'name', required: true, value: 'web', pattern: '[A-Za-z0-9][A-Za-z0-9._-]*' });
  const flavor = h('select', { name: 'flavor' }, ...options(flavors));
  const image = h('select', { name: 'image' }, ...options(images));
  const network = h('select', { name: 'network' }, ...options(networks));
  const count = h('input', { name: 'count', type: 'number', min: 1, max: 1000, value: 1, required: true });
  const progress = h('div', { role: 'status', 'aria-live': 'polite', class: 'launch-progress' });
  const submit = async (event: Event) => {
    event.preventDefault();
    const n = Number(count.value);
    try {
      const { position } = await get<{ position: number }>('/v1/events/head');
      const accepted = await call<{ instances: Named[] }>('POST', '/v1/instances', {
        name: name.value,
        flavor: flavor.value,
        image: image.value,
        networks: [{ network: network.value }],
        minCount: n,
        maxCount: n,
      });
      const states = new Map(accepted.instances.map((i) => [i.id, 'pending']));
      const bar = h('progress', { max: n, value: 0, 'aria-label': 'Instances active or failed' });
      const text = h('p', { class: 'launch-summary' });
      replace(progress, bar, text);
      const draw = () => {
        const counts = new Map<string, number>();
        for (const s of states.values()) counts.set(s, (counts.get(s) ?? 0) + 1);
        const finished = (counts.get('active') ?? 0) + (counts.get('error') ?? 0);
        bar.value = finished;
        text.textContent = `Launch of ${n}: ${LAUNCH_STATES.map((s) => `${counts.get(s) ?? 0} ${s}`).join(', ')}`;
        return finished === n;
      };
      draw();
      const done = new AbortController();
      signal.addEventListener('abort', () => done.abort());
      await follow(
        position,
        (events: RecordedEvent[]) => {
          for (const e of events) {
            const id = String(e.data.instanceId ?? '');
            if (states.has(id) && STATE_AFTER[e.type]) states.set(id, STATE_AFTER[e.type]);
          }
          if (draw()) done.abort();
        },
        done.signal,
      );
    } catch (error) {
      replace(
        progress,
        h('p', { class: 'error', role: 'alert' }, `Launch refused: ${error instanceof ApiError ? `${error.code}: ${error.message}` : String(error)}`),
      );
    }
  };
  return h(
    'section',
    {},
    h('h3', {}, 'Launch'),
    h(
      'form',
      { class: 'inline', onsubmit: (e) => void submit(e) },
      field('Name', name),
      field('Flavor', flavor),
      field('Image', image),
      field('Network', network),
      field('Count', count),
      h('button', { type: 'submit' }, 'Launch'),
    ),
    progress,
  );
}
