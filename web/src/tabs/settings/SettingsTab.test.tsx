// @vitest-environment jsdom
import { act } from 'react';
import { describe, expect, it } from 'vitest';
import type { UserView } from '../../../../src/api/index.js';
import { json, loggedIn, serve, session, type Routes } from '../../test-support/api-stub.js';
import { openAndCancelConfirmStep } from '../../test-support/confirm-step.js';
import { buttons, container, render, settle, setUpAppInEachTest } from '../../test-support/render-app.js';

const ADA = session('admin').user;

function user(overrides: Partial<UserView>): UserView {
  return {
    id: 'u2',
    email: 'grace@example.com',
    name: 'Grace Hopper',
    role: 'viewer',
    createdAt: '2026-01-03T10:00:00Z',
    status: 'active',
    deactivatedAt: null,
    mustChangePassword: false,
    ...overrides,
  };
}

const GRACE = user({});
const ALAN = user({ id: 'u3', email: 'alan@example.com', name: 'Alan Turing', status: 'deactivated', deactivatedAt: '2026-01-04T10:00:00Z' });

function routes(role: 'admin' | 'viewer', answer: () => UserView[]): Routes {
  return { ...loggedIn(role), 'GET /api/users': () => json(200, { users: answer() }) };
}

function row(name: string): HTMLElement {
  const header = [...container.querySelectorAll('tbody th')].find((element) => element.textContent?.startsWith(name));
  const found = header?.closest('tr');
  if (found === null || found === undefined) throw new Error(`no row for ${name}`);
  return found;
}

const button = (scope: HTMLElement, text: string) => buttons(scope, text)[0];

/** Opens the row's actions (behind Manage); returns the row. */
async function manage(name: string): Promise<HTMLElement> {
  const found = row(name);
  const toggle = button(found, 'Manage');
  if (toggle?.getAttribute('aria-expanded') === 'false') await act(async () => toggle.click());
  return found;
}

async function confirm(scope: HTMLElement, trigger: string, confirmLabel = trigger): Promise<void> {
  await act(async () => button(scope, trigger)?.click());
  const step = scope.querySelector<HTMLElement>('[role="group"]');
  if (step === null) throw new Error(`no confirm step for ${trigger}`);
  await act(async () => button(step, confirmLabel)?.click());
  await settle();
}

setUpAppInEachTest();

describe('Settings → Users', () => {
  it('shows every user’s status; admins get actions on the others’ rows, never on their own', async () => {
    serve(routes('admin', () => [ADA, GRACE, ALAN]));
    await render('/settings');
    expect(row('Grace Hopper').querySelector('.status')?.textContent).toBe('Status: Active');
    expect(row('Alan Turing').querySelector('.status')?.textContent).toBe('Status: Deactivated');
    expect(row('Ada Lovelace').querySelector('button')).toBeNull();

    // Folded behind Manage, which says what it controls once open.
    const toggle = button(row('Grace Hopper'), 'Manage');
    expect(toggle?.textContent).toBe('Manage Grace Hopper');
    expect(button(row('Grace Hopper'), 'Deactivate')).toBeUndefined();
    await manage('Grace Hopper');
    expect(toggle?.getAttribute('aria-expanded')).toBe('true');
    expect(document.getElementById(toggle?.getAttribute('aria-controls') ?? '')?.textContent).toContain('Reset password');
    await manage('Alan Turing');
    expect(['Deactivate', 'Reset password', 'End sessions', 'Remove'].map((text) => button(row('Grace Hopper'), text) !== undefined)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    // A deactivated user has no sessions to end, and is reactivated rather than deactivated.
    expect(button(row('Alan Turing'), 'Reactivate')).toBeDefined();
    expect(button(row('Alan Turing'), 'Deactivate')).toBeUndefined();
    expect(button(row('Alan Turing'), 'End sessions')).toBeUndefined();
    // Screen readers hear whom a button acts on.
    expect(button(row('Grace Hopper'), 'Remove')?.textContent).toBe('Remove Grace Hopper');
  });

  it('gives viewers the status but no actions', async () => {
    serve(routes('viewer', () => [ADA, GRACE, ALAN]));
    await render('/settings');
    expect(row('Alan Turing').querySelector('.status')?.textContent).toBe('Status: Deactivated');
    expect(container.querySelector('table button')).toBeNull();
    expect([...container.querySelectorAll('thead th')].map((th) => th.textContent)).not.toContain('Actions');
  });

  it('asks before deactivating, then deactivates with a CSRF-protected POST and shows the new status', async () => {
    let grace = GRACE;
    const calls = serve({
      ...routes('admin', () => [ADA, grace]),
      'POST /api/users/u2/deactivate': () => {
        grace = user({ status: 'deactivated', deactivatedAt: '2026-02-01T10:00:00Z' });
        return json(200, { user: grace });
      },
    });
    await render('/settings');
    await manage('Grace Hopper');
    await openAndCancelConfirmStep(row('Grace Hopper'), () => button(row('Grace Hopper'), 'Deactivate'), 'Deactivate Grace Hopper?');
    expect(calls.some((call) => call.method === 'POST')).toBe(false);

    await confirm(row('Grace Hopper'), 'Deactivate');
    const post = calls.find((call) => call.key === 'POST /api/users/u2/deactivate');
    expect(post?.init?.headers).toMatchObject({ 'x-csrf-token': 'csrf-1' });
    expect(container.textContent).toContain('Grace Hopper is deactivated: their sessions have ended and they cannot log in.');
    expect(row('Grace Hopper').querySelector('.status')?.textContent).toBe('Status: Deactivated');
    // Done: the actions fold away and focus is back on Manage.
    expect(document.activeElement).toBe(button(row('Grace Hopper'), 'Manage'));
    await manage('Grace Hopper');
    expect(button(row('Grace Hopper'), 'Reactivate')).toBeDefined();
  });

  it('shows a reset’s temporary password once, with a Copy button, until Done', async () => {
    let answer = GRACE;
    serve({
      ...routes('admin', () => [ADA, answer]),
      'POST /api/users/u2/password-reset': () => {
        answer = user({ mustChangePassword: true });
        return json(200, { user: answer, temporaryPassword: 'k7m2p-x9qrt-4hd8w-tc3ze' });
      },
    });
    const writes: string[] = [];
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: async (text: string) => void writes.push(text) } });
    try {
      await render('/settings');
      await confirm(await manage('Grace Hopper'), 'Reset password');
      const reveal = container.querySelector<HTMLElement>('.temporary-password');
      expect(reveal?.textContent).toContain('Temporary password for Grace Hopper.');
      expect(reveal?.textContent).toContain('shown only this once');
      expect(reveal?.querySelector('code')?.textContent).toBe('k7m2p-x9qrt-4hd8w-tc3ze');
      expect(document.activeElement).toBe(reveal);

      await act(async () => (reveal === null ? undefined : button(reveal, 'Copy')?.click()));
      expect(writes).toEqual(['k7m2p-x9qrt-4hd8w-tc3ze']);
      await act(async () => (reveal === null ? undefined : button(reveal, 'Done')?.click()));
      expect(container.querySelector('.temporary-password')).toBeNull();
      expect(container.textContent).not.toContain('k7m2p-x9qrt-4hd8w-tc3ze');
    } finally {
      Reflect.deleteProperty(navigator, 'clipboard');
    }
  });

  it('ends sessions, reactivates and removes, and shows the hub’s refusal (last admin) in words', async () => {
    let users = [ADA, GRACE, ALAN];
    const calls = serve({
      ...routes('admin', () => users),
      'DELETE /api/users/u2/sessions': () => json(200, { sessionsEnded: 2 }),
      'POST /api/users/u3/reactivate': () => {
        users = [ADA, GRACE, user({ ...ALAN, status: 'active', deactivatedAt: null })];
        return json(200, { user: users[2] });
      },
      'DELETE /api/users/u2': () =>
        json(409, { error: { code: 'last_admin', message: 'This is the last active admin of the organisation: make someone else an admin before you remove them.' } }),
    });
    await render('/settings');
    await confirm(await manage('Grace Hopper'), 'End sessions');
    expect(calls.filter((call) => call.key === 'DELETE /api/users/u2/sessions')).toHaveLength(1);
    expect(container.textContent).toContain('Every session of Grace Hopper has ended.');

    await act(async () => button(await manage('Alan Turing'), 'Reactivate')?.click());
    await settle();
    expect(row('Alan Turing').querySelector('.status')?.textContent).toBe('Status: Active');
    expect(container.textContent).toContain('Alan Turing can log in again.');

    await confirm(await manage('Grace Hopper'), 'Remove');
    expect(container.querySelector('[role="alert"]')?.textContent).toContain('last active admin');
    // Refused: the list is reloaded and the confirm step stays open for another try or Cancel.
    expect(row('Grace Hopper').querySelector('[role="group"]')).not.toBeNull();
  });
});
