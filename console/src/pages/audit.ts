import { ApiError, RecordedEvent, get } from '../api';
import { field, h, replace, table } from '../dom';

/** The audit log with filters, and the hash chain's integrity check. */
export async function auditPage(main: HTMLElement): Promise<void> {
  const type = h('input', { name: 'type', placeholder: 'InstanceStopped,InstanceStarted' });
  const stream = h('input', { name: 'stream', placeholder: 'instance-inst-…' });
  const principal = h('input', { name: 'principal' });
  const from = h('input', { name: 'from', placeholder: '2026-12-06T00:00:00Z' });
  const results = h('div');
  const verdict = h('p', { role: 'status', 'aria-live': 'polite' });
  const search = async (event?: Event) => {
    event?.preventDefault();
    const query = new URLSearchParams({ limit: '200' });
    for (const [key, input] of [
      ['type', type],
      ['stream', stream],
      ['principal', principal],
      ['from', from],
    ] as const)
      if (input.value) query.set(key, input.value);
    try {
      const page = await get<{ items: RecordedEvent[] }>(`/v1/events?${query.toString()}`);
      replace(
        results,
        table(
          'Events',
          ['Position', 'Time', 'Type', 'Stream', 'By'],
          page.items.map((e) => [e.position, e.metadata.at, e.type, e.stream, e.metadata.principal]),
        ),
      );
    } catch (error) {
      replace(results, h('p', { role: 'alert', class: 'error' }, error instanceof ApiError ? `${error.code}: ${error.message}` : String(error)));
    }
  };
  const verify = async () => {
    verdict.textContent = 'Verifying…';
    try {
      const answer = await get<{ ok: boolean; checked?: number; position?: number }>('/v1/audit/verify');
      verdict.textContent = answer.ok
        ? `Integrity verified: ${answer.checked} events, hash chain intact`
        : `Integrity check FAILED at position ${answer.position}`;
    } catch (error) {
      verdict.textContent = `Could not verify: ${error instanceof ApiError ? error.message : String(error)}`;
    }
  };
  main.append(
    h('h2', {}, 'Audit log'),
    h('section', {}, h('button', { type: 'button', onclick: () => void verify() }, 'Verify integrity'), verdict),
    h(
      'section',
      {},
      h(
        'form',
        { class: 'inline', onsubmit: (e) => void search(e) },
        field('Event types', type),
        field('Stream', stream),
        field('Principal', principal),
        field('From (UTC)', from),
        h('button', { type: 'submit' }, 'Filter'),
      ),
      results,
    ),
  );
  await search();
}
