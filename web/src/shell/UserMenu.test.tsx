// @vitest-environment jsdom
import { act } from 'react';
import { describe, expect, it } from 'vitest';
import { json, loggedIn, serve, session, type Routes } from '../test-support/api-stub.js';
import { field, fieldError, fill } from '../test-support/forms.js';
import { buttons, container, render, settle, setUpAppInEachTest } from '../test-support/render-app.js';

const NEW_PASSWORD = 'ada picked this phrase';

function routes(extra: Routes = {}): Routes {
  return {
    ...loggedIn('viewer'),
    'GET /api/webhooks': () => json(200, { linear: { blockedBy: null, teams: [], teamsError: null }, pagerduty: { subscriptions: [] } }),
    ...extra,
  };
}

function panel(): HTMLElement {
  const found = container.querySelector<HTMLElement>('[role="dialog"]');
  if (found === null) throw new Error('no user menu');
  return found;
}

async function openChangePassword(): Promise<HTMLElement> {
  await act(async () => container.querySelector<HTMLButtonElement>('button[aria-haspopup]')?.click());
  await act(async () => buttons(panel(), 'Change password')[0]?.click());
  return panel();
}

async function submit(scope: HTMLElement): Promise<void> {
  await act(async () => scope.querySelector<HTMLButtonElement>('button[type="submit"]')?.click());
  await settle();
}

setUpAppInEachTest();

describe('user menu → Change password', () => {
  it('changes the password with the current one, and says the other sessions have ended', async () => {
    const calls = serve(routes({ 'POST /api/session/password': () => json(200, session('viewer')) }));
    await render('/webhooks');
    const menu = await openChangePassword();
    expect(document.activeElement).toBe(field(menu, 'Current password'));

    await fill(field(menu, 'Current password'), 'correct horse battery');
    await fill(field(menu, 'New password'), NEW_PASSWORD);
    await fill(field(menu, 'Confirm new password'), NEW_PASSWORD);
    await submit(menu);

    const post = calls.find((call) => call.key === 'POST /api/session/password');
    expect(post?.init?.body).toBe(JSON.stringify({ currentPassword: 'correct horse battery', newPassword: NEW_PASSWORD }));
    expect(post?.init?.headers).toMatchObject({ 'x-csrf-token': 'csrf-1' });
    expect(menu.textContent).toContain('Password changed. Your other sessions have ended.');
    expect(menu.querySelector('form')).toBeNull();
    expect(document.activeElement?.textContent).toBe('Change password');
  });

  it('checks before sending: a mismatched confirmation is shown under its field and nothing is sent', async () => {
    const calls = serve(routes());
    await render('/webhooks');
    const menu = await openChangePassword();
    await fill(field(menu, 'Current password'), 'correct horse battery');
    await fill(field(menu, 'New password'), NEW_PASSWORD);
    await fill(field(menu, 'Confirm new password'), 'something else entirely');
    await submit(menu);
    expect(fieldError(field(menu, 'Confirm new password'))).toBe('The two new passwords are not the same.');
    expect(document.activeElement).toBe(field(menu, 'Confirm new password'));
    expect(calls.some((call) => call.method === 'POST')).toBe(false);
  });

  it('puts the hub’s wrong_password and weak_password under their fields; Cancel closes the form', async () => {
    let answer = () =>
      json(400, {
        error: { code: 'wrong_password', message: 'The current password is wrong.', details: [{ path: 'currentPassword', message: 'is not your current password' }] },
      });
    serve(routes({ 'POST /api/session/password': () => answer() }));
    await render('/webhooks');
    const menu = await openChangePassword();
    await fill(field(menu, 'Current password'), 'not it at all');
    await fill(field(menu, 'New password'), 'qwertyuiop123');
    await fill(field(menu, 'Confirm new password'), 'qwertyuiop123');
    await submit(menu);
    expect(fieldError(field(menu, 'Current password'))).toBe('Is not your current password.');
    // A 400 is not a lost session: still in the app.
    expect(container.querySelector('h1')?.textContent).toBe('Webhooks');

    answer = () =>
      json(400, {
        error: {
          code: 'weak_password',
          message: 'This password is a keyboard pattern, a sequence or a repetition: choose something less predictable.',
          details: [{ path: 'newPassword', message: 'is a keyboard pattern, a sequence or a repetition: choose something less predictable' }],
        },
      });
    await submit(menu);
    expect(fieldError(field(menu, 'New password'))).toContain('Is a keyboard pattern');
    expect(fieldError(field(menu, 'Current password'))).toBeUndefined();

    await act(async () => buttons(menu, 'Cancel')[0]?.click());
    expect(menu.querySelector('form')).toBeNull();
    expect(document.activeElement?.textContent).toBe('Change password');
  });
});
