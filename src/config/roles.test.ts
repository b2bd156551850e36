import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './index.js';
import { parseRole, roleProblem, runsQueue, servesWeb } from './roles.js';

describe('process roles', () => {
  it('default to all; HUB_ROLE picks another; anything else is a configuration error', () => {
    expect(parseConfig({}).role).toBe('all');
    expect(parseConfig({ HUB_ROLE: 'web' }).role).toBe('web');
    expect(parseConfig({ HUB_ROLE: ' ' }).role).toBe('all');
    expect(() => parseConfig({ HUB_ROLE: 'Web' })).toThrow(ConfigError);
    expect(parseRole('worker')).toBe('worker');
    expect(parseRole('both')).toBeUndefined();
  });

  it('web serves HTTP without the queue, worker the queue without HTTP, all both', () => {
    expect([servesWeb('all'), runsQueue('all')]).toEqual([true, true]);
    expect([servesWeb('web'), runsQueue('web')]).toEqual([true, false]);
    expect([servesWeb('worker'), runsQueue('worker')]).toEqual([false, true]);
  });

  it('split roles need PostgreSQL, and a worker needs a concurrency', () => {
    expect(roleProblem({ role: 'all', workerConcurrency: 0 }, 'sqlite')).toBeUndefined();
    expect(roleProblem({ role: 'web', workerConcurrency: 4 }, 'sqlite')).toMatch(/^role web needs PostgreSQL/);
    expect(roleProblem({ role: 'worker', workerConcurrency: 4 }, 'sqlite')).toMatch(/^role worker needs PostgreSQL/);
    expect(roleProblem({ role: 'web', workerConcurrency: 0 }, 'postgres')).toBeUndefined();
    expect(roleProblem({ role: 'worker', workerConcurrency: 0 }, 'postgres')).toMatch(/WORKER_CONCURRENCY/);
    expect(roleProblem({ role: 'worker', workerConcurrency: 1 }, 'postgres')).toBeUndefined();
  });
});
