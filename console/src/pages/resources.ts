import { ApiError, call, list } from '../api';
import { field, h, replace, table } from '../dom';
import { live } from '../live';

type Item = Record<string, unknown> & { id?: string; name?: string };
type ResourceDefinition = {
  title: string;
  path: string;
  columns: Array<[string, (i: Item) => string]>;
  /** The create form's fields: name, input attributes; their values make the body. */
  create: Array<{ label: string; key: string; attributes: Record<string, string | number | boolean> }>;
  body?: (values: Record<string, string>) => unknown;
  events: RegExp;
  /** The event stream of one resource (its history page); none for key pairs, kept by name. */
  stream?: (i: Item) => string;
};

const text = (key: string) => (i: Item) => (i[key] === null || i[key] === undefined ? '' : String(i[key]));

export const RESOURCE_PAGES: Record<string, ResourceDefinition> = {
  volumes: {
    title: 'Volumes',
    path: '/v1/volumes',
    columns: [
      ['Name', text('name')],
      ['Size (GiB)', text('sizeGiB')],
      ['Status', text('status')],
      ['Attached to', text('instanceId')],
    ],
    create: [
      { label: 'Volume name', key: 'name', attributes: { required: true } },
      { label: 'Size (GiB)', key: 'sizeGiB', attributes: { type: 'number', min: 1, value: 1, required: true } },
    ],
    body: (v) => ({ name: v.name, sizeGiB: Number(v.sizeGiB) }),
    events: /^Volume/,
    stream: (i) => `volume-${i.id}`,
  },
  networks: {
    title: 'Networks',
    path: '/v1/networks',
    columns: [
      ['Name', text('name')],
      ['CIDR', text('cidr')],
      ['VLAN', text('vlan')],
      ['Used IPs', text('usedIps')],
    ],
    create: [
      { label: 'Network name', key: 'name', attributes: { required: true } },
      { label: 'CIDR', key: 'cidr', attributes: { required: true, placeholder: '10.1.0.0/24' } },
    ],
    events: /^(Network|Ip)/,
    stream: (i) => `network-${i.id}`,
  },
  'security-groups': {
    title: 'Security groups',
    path: '/v1/security-groups',
    columns: [
      ['Name', text('name')],
      ['Rules', (i) => String((i.rules as unknown[] | undefined)?.length ?? 0)],
    ],
    create: [{ label: 'Group name', key: 'name', attributes: { required: true } }],
    events: /^SecurityGroup/,
    stream: (i) => `security-group-${i.id}`,
  },
  'floating-ips': {
    title: 'Floating IPs',
    path: '/v1/floating-ips',
    columns: [
      ['Address', (i) => String(i.address ?? i.ip ?? '')],
      ['Instance', text('instanceId')],
      ['Status', text('status')],
    ],
    create: [],
    body: () => ({}),
    events: /^FloatingIp/,
    stream: (i) => `floating-ip-${i.id}`,
  },
  keypairs: {
    title: 'Key pairs',
    path: '/v1/keypairs',
    columns: [
      ['Name', text('name')],
      ['Fingerprint', text('fingerprint')],
    ],
    create: [
      { label: 'Key pair name', key: 'name', attributes: { required: true } },
      { label: 'Public key (OpenSSH)', key: 'publicKey', attributes: { required: true } },
    ],
    events: /^KeyPair/,
  },
};

/** A list, live, with a create form and a delete button per resource. */
export const resourcePage =
  (key: string) =>
  async (main: HTMLElement, signal: AbortSignal): Promise<void> => {
    const def = RESOURCE_PAGES[key];
    const status = h('p', { role: 'status', 'aria-live': 'polite' });
    const listArea = h('div');
    const inputs = def.create.map((f) => ({ key: f.key, input: h('input', { name: f.key, ...f.attributes }), label: f.label }));
    const create = async (event: Event) => {
      event.preventDefault();
      const values = Object.fromEntries(inputs.map((f) => [f.key, f.input.value]));
      try {
        await call('POST', def.path, def.body ? def.body(values) : values);
        status.textContent = `${def.title}: created`;
        await draw();
      } catch (error) {
        status.textContent = `Refused: ${error instanceof ApiError ? `${error.code}: ${error.message}` : String(error)}`;
      }
    };
    const remove = async (item: Item) => {
      try {
        await call('DELETE', `${def.path}/${encodeURIComponent(String(item.id ?? item.name))}`);
        status.textContent = `${item.name ?? item.id} deleted`;
        await draw();
      } catch (error) {
        status.textContent = `Refused: ${error instanceof ApiError ? `${error.code}: ${error.message}` : String(error)}`;
      }
    };
    const draw = async () => {
      const items = await list<Item>(def.path);
      const label = (i: Item) => String(i.name || i.address || i.id);
      replace(
        listArea,
        table(
          def.title,
          [...def.columns.map(([header]) => header), 'Actions'],
          items.map((i) => [
            ...def.columns.map(([, value]) => value(i)),
            h(
              'span',
              {},
              def.stream ? h('a', { href: `#/history/${encodeURIComponent(def.stream(i))}`, 'aria-label': `history of ${label(i)}` }, 'history') : null,
              ' ',
              h('button', { type: 'button', 'aria-label': `delete ${label(i)}`, onclick: () => void remove(i) }, 'delete'),
            ),
          ]),
        ),
      );
    };
    main.append(
      h('h2', {}, def.title),
      h(
        'section',
        {},
        h(
          'form',
          { class: 'inline', onsubmit: (e) => void create(e) },
          ...inputs.map((f) => field(f.label, f.input)),
          h('button', { type: 'submit' }, def.create.length ? 'Create' : 'Allocate'),
        ),
        status,
      ),
      h('section', {}, listArea),
    );
    await draw();
    live(signal, (events) => events.some((e) => def.events.test(e.type)), draw);
  };
