import './style.css';
import { session } from './api';
import { h, replace } from './dom';
import { auditPage } from './pages/audit';
import { billingPage } from './pages/billing';
import { dashboardPage } from './pages/dashboard';
import { historyPage } from './pages/history';
import { instancePage } from './pages/instance';
import { instancesPage } from './pages/instances';
import { loginPage } from './pages/login';
import { RESOURCE_PAGES, resourcePage } from './pages/resources';

/** A page renders into `main` and stops its live updates when `signal` aborts (the user went elsewhere). */
export type Page = (main: HTMLElement, signal: AbortSignal, param?: string) => Promise<void>;

const NAV: Array<[string, string]> = [
  ['#/dashboard', 'Dashboard'],
  ['#/instances', 'Instances'],
  ...Object.entries(RESOURCE_PAGES).map(([key, page]): [string, string] => [`#/${key}`, page.title]),
  ['#/billing', 'Billing'],
  ['#/audit', 'Audit log'],
];

const app = document.getElementById('app') as HTMLElement;
let current = new AbortController();

function route(): { page: Page; param?: string } {
  const [, name, param] = location.hash.split('/');
  if (!session.token || name === 'login') return { page: loginPage };
  if (name === 'instances') return { page: instancesPage };
  if (name === 'instance' && param) return { page: instancePage, param };
  if (name === 'history' && param) return { page: historyPage, param };
  if (name === 'billing') return { page: billingPage };
  if (name === 'audit') return { page: auditPage };
  if (name && RESOURCE_PAGES[name]) return { page: resourcePage(name) };
  return { page: dashboardPage };
}

async function render(): Promise<void> {
  current.abort();
  current = new AbortController();
  const main = h('main', { id: 'main', tabindex: -1 });
  const { page, param } = route();
  const logOut = () => {
    session.set(null);
    location.hash = '#/login';
  };
  const nav = session.token
    ? h(
        'nav',
        { 'aria-label': 'Sections' },
        h('ul', {}, ...NAV.map(([href, label]) => h('li', {}, h('a', { href, 'aria-current': location.hash.startsWith(href) ? 'page' : undefined }, label)))),
        h('button', { type: 'button', onclick: logOut }, 'Log out'),
      )
    : null;
  replace(app, h('header', {}, h('h1', {}, 'Orchestrator'), nav), main);
  try {
    await page(main, current.signal, param);
  } catch (error) {
    if (!session.token) location.hash = '#/login';
    else main.append(h('p', { role: 'alert', class: 'error' }, `Could not load this page: ${(error as Error).message}`));
  }
}

window.addEventListener('hashchange', () => void render());
// The skip link moves the focus into the page (its #main would otherwise be taken for a route).
document.querySelector('.skip')?.addEventListener('click', (event) => {
  event.preventDefault();
  document.getElementById('main')?.focus();
});
void render();
