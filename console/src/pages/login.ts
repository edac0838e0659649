import { ApiError, call, session } from '../api';
import { field, h } from '../dom';

export async function loginPage(main: HTMLElement): Promise<void> {
  const user = h('input', { name: 'username', autocomplete: 'username', required: true });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const project = h('input', { name: 'project', value: 'admin', required: true });
  const status = h('p', { role: 'status' });
  const submit = async (event: Event) => {
    event.preventDefault();
    status.textContent = 'Logging in…';
    try {
      const answer = await call<{ token: string }>('POST', '/v1/auth/tokens', { username: user.value, password: password.value, project: project.value });
      session.set(answer.token);
      location.hash = '#/dashboard';
    } catch (error) {
      status.textContent = error instanceof ApiError ? `Login refused: ${error.message}` : `Login failed: ${(error as Error).message}`;
      status.className = 'error';
    }
  };
  main.append(
    h(
      'section',
      {},
      h('h2', {}, 'Log in'),
      h(
        'form',
        { onsubmit: (e) => void submit(e) },
        field('User', user),
        field('Password', password),
        field('Project', project),
        h('button', { type: 'submit' }, 'Log in'),
        status,
      ),
    ),
  );
  user.focus();
}
