import { get } from '../api';
import { h, table } from '../dom';

type Usage = { currency: string; total: number; from: string; to: string; items: Array<{ hour: string; meter: string; resourceId: string; amount: number }> };

const SVG = 'http://www.w3.org/2000/svg';

/** Usage this month priced per hour, as a bar chart (an SVG with a text alternative) and a table by meter. */
export async function billingPage(main: HTMLElement): Promise<void> {
  const usage = await get<Usage>('/v1/billing/usage');
  const byHour = new Map<string, number>();
  const byMeter = new Map<string, number>();
  for (const i of usage.items) {
    byHour.set(i.hour, (byHour.get(i.hour) ?? 0) + i.amount);
    byMeter.set(i.meter, (byMeter.get(i.meter) ?? 0) + i.amount);
  }
  const hours = [...byHour].sort(([a], [b]) => a.localeCompare(b)).slice(-48);
  const max = Math.max(...hours.map(([, v]) => v), 1e-9);
  const width = Math.max(hours.length * 24, 240);
  const chart = document.createElementNS(SVG, 'svg');
  chart.setAttribute('viewBox', `0 0 ${width} 160`);
  chart.setAttribute('role', 'img');
  chart.setAttribute('aria-label', `Cost per hour over the last ${hours.length} hours, highest ${max.toFixed(4)} ${usage.currency}`);
  chart.setAttribute('class', 'usage-chart');
  hours.forEach(([hour, value], n) => {
    const bar = document.createElementNS(SVG, 'rect');
    const height = (value / max) * 140;
    bar.setAttribute('x', String(n * 24 + 4));
    bar.setAttribute('y', String(150 - height));
    bar.setAttribute('width', '16');
    bar.setAttribute('height', String(Math.max(height, 1)));
    bar.setAttribute('fill', '#457b9d');
    const title = document.createElementNS(SVG, 'title');
    title.textContent = `${hour}: ${value.toFixed(6)} ${usage.currency}`;
    bar.append(title);
    chart.append(bar);
  });
  main.append(
    h('h2', {}, 'Billing'),
    h('section', {}, h('h3', {}, `Usage from ${usage.from} to ${usage.to}: ${usage.total.toFixed(6)} ${usage.currency}`), chart),
    h(
      'section',
      {},
      table(
        'Cost by meter',
        ['Meter', `Amount (${usage.currency})`],
        [...byMeter].map(([meter, amount]) => [meter, amount.toFixed(6)]),
      ),
    ),
  );
}
