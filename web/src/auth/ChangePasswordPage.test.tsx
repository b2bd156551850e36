// @vitest-environment jsdom
import { act } from 'react';
import { describe, expect, it } from 'vitest';
import { json, META, serve, session } from '../test-support/api-stub.js';
import { field, fill } from '../test-support/forms.js';
import { container, render, settle, setUpAppInEachTest } from '../test-support/render-app.js';

const RESET = { ...session('viewer'), user: { ...session('viewer').user, mustChangePassword: true } };

setUpAppInEachTest();

describe('after an admin reset the password', () => {
  it('asks for a new password before anything else, then opens the app', async () => {
    const calls = serve({
      'GET /api/meta': () => json(200, META),
      'GET /api/session': () => json(200, RESET),
      'POST /api/session/password': () => json(200, session('viewer')),
      'GET /api/webhooks': () => json(200, { linear: { blockedBy: null, teams: [], teamsError: null }, pagerduty: { subscriptions: [] } }),
    });
    await render('/webhooks');
    expect(container.querySelector('h1')?.textContent).toBe('Choose a new password');
    expect(container.textContent).toContain('An admin reset the password of ada@example.com.');
    expect(container.querySelector('nav')).toBeNull();
    expect(calls.map((call) => call.key)).toEqual(['GET /api/meta', 'GET /api/session']);

    await fill(field(container, 'Current password'), 'k7m2p-x9qrt-4hd8w-tc3ze');
    await fill(field(container, 'New password'), 'ada picked this phrase');
    await fill(field(container, 'Confirm new password'), 'ada picked this phrase');
    await act(async () => container.querySelector<HTMLButtonElement>('button[type="submit"]')?.click());
    await settle();

    expect(calls.filter((call) => call.key === 'POST /api/session/password')).toHaveLength(1);
    expect(container.querySelector('h1')?.textContent).toBe('Webhooks');
    expect(window.location.pathname).toBe('/webhooks');
  });
});
