import { RecordedEvent, get } from '../api';
import { field, h, replace } from '../dom';
import { live } from '../live';

/**
 * A slider over the log's positions (up to the head when drawn, or `bounds`): moving it shows what
 * `render` draws as of that position, and the moment that position was recorded.
 */
export async function timeSlider(
  key: string,
  signal: AbortSignal,
  render: (position: number) => Promise<HTMLElement>,
  bounds?: { min: number; max: number },
): Promise<HTMLElement> {
  const head = bounds?.max ?? (await get<{ position: number }>('/v1/events/head')).position;
  const slider = h('input', { type: 'range', id: `as-of-${key}`, min: bounds?.min ?? 1, max: head, step: 1, value: head });
  const moment = h('output', { for: slider.id, 'aria-live': 'polite' });
  const shown = h('div');
  let timer: ReturnType<typeof setTimeout> | undefined;
  const show = async () => {
    const position = Number(slider.value);
    const at = (await get<{ items: RecordedEvent[] }>(`/v1/events?after=${position - 1}&limit=1`)).items[0]?.metadata.at ?? '';
    if (signal.aborted) return;
    moment.textContent = `position ${position}${at ? `, ${at}` : ''}`;
    replace(shown, await render(position));
  };
  const changed = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void show(), 150);
  };
  slider.addEventListener('input', changed);
  slider.addEventListener('change', changed);
  const latest = h(
    'button',
    {
      type: 'button',
      onclick: async () => {
        slider.max = String((await get<{ position: number }>('/v1/events/head')).position);
        slider.value = slider.max;
        changed();
      },
    },
    'Up to now',
  );
  await show();
  // Without fixed bounds the slider reaches the log's head as it grows (left where the user put it).
  if (!bounds) {
    live(
      signal,
      () => true,
      async () => {
        const atEnd = slider.value === slider.max;
        slider.max = String((await get<{ position: number }>('/v1/events/head')).position);
        if (atEnd) slider.value = slider.max;
      },
    );
  }
  return h('div', { class: 'time-slider' }, field('Moment (event position)', slider), moment, latest, shown);
}
