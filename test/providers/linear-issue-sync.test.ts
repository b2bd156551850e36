import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, getVariableValues, Kind, parse, validate, type GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OPS } from '../../sandbox/linear/operations.js';
import { SEED_IDS, seedId } from '../../sandbox/linear/seed.js';
import { startLinearSandbox, type RunningLinearSandbox } from '../../sandbox/linear/testing.js';
import { LinearEntityNotFoundError } from '../../src/providers/linear/api.js';
import { ISSUE_SYNC_DOCUMENTS } from '../../src/providers/linear/issue-sync.js';
import { linearIssueTracker } from '../../src/providers/linear/tracker.js';
import { ProviderRateLimitedError, ProviderRequestError, ProviderUnavailableError } from '../../src/providers/errors.js';
import type { ProviderRequest } from '../../src/providers/request.js';
import { referenceAvailable, referenceDir } from '../helpers/reference.js';

/**
 * Linear's side of two-way sync (roles.ts IssueSync) against the Linear stand-in over real HTTP:
 * an issue as sync reads it (deleted ones with archivedAt), moves, comments with the hub's id
 * (a second create is `exists`), comment reads, attachments that upsert by URL, unknown ids as
 * null and provider errors. Every document — and every variable object the hub sent — is checked
 * against Linear's published schema.
 */
const sync = linearIssueTracker.sync;
const acme = SEED_IDS.acme;
const ENG1 = seedId('issue', 'acme', 'ENG-1');
const state = (name: string) => seedId('state', 'acme', 'ENG', name);

/** The variables of an operation, coerced against the schema's input types: the errors' messages. */
function variableErrors(schema: GraphQLSchema, document: string, variables: Record<string, unknown>): string[] {
  const operation = parse(document).definitions[0];
  if (operation?.kind !== Kind.OPERATION_DEFINITION) throw new Error('not an operation');
  const result = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  return 'errors' in result && result.errors ? result.errors.map((e) => e.message) : [];
}

describe('Linear as the issue tracker: two-way sync', () => {
  let sb: RunningLinearSandbox;
  let request: ProviderRequest;
  beforeAll(async () => {
    sb = await startLinearSandbox();
  });
  afterAll(async () => sb?.close());
  beforeEach(async () => {
    await sb.reset();
    request = { apiUrl: sb.url, accessToken: await sb.token(), timeoutMs: 5000 };
  });

  /** The `variables` of every GraphQL call the hub made with this operation name. */
  const sentVariables = (operation: string) =>
    sb.requests
      .list()
      .filter((r) => r.path === '/graphql' && (r.body as { query: string }).query.includes(operation))
      .map((r) => (r.body as { variables: Record<string, unknown> }).variables);
  const commentsOn = (issueId: string) => [...sb.state.comments.values()].filter((c) => c.issueId === issueId && !c.archivedAt);

  describe.skipIf(!referenceAvailable())('against Linear’s published schema', () => {
    const published = () => buildSchema(readFileSync(path.join(referenceDir(), 'linear', 'schema.graphql'), 'utf8'));

    it('the documents are valid (and the check can fail)', () => {
      const schema = published();
      for (const [name, query] of Object.entries(ISSUE_SYNC_DOCUMENTS)) expect(validate(schema, parse(query)).map((e) => e.message), name).toEqual([]);
      const invented = ISSUE_SYNC_DOCUMENTS.comment.replace('archivedAt', 'archivedAt deletedAt');
      expect(validate(schema, parse(invented)).map((e) => e.message)).toEqual([expect.stringMatching(/^Cannot query field "deletedAt" on type "Comment"\./)]);
    });

    it('every variable object the hub sends fits the published input types (and the check can fail)', async () => {
      const id = randomUUID();
      await sync.issue(request, 'ENG-1');
      await sync.moveIssue(request, ENG1, state('In Progress'));
      await sync.createComment(request, { id, issueId: ENG1, body: 'plain' });
      await sync.createComment(request, { id: randomUUID(), issueId: ENG1, body: 'all options', createAsUser: 'Rita Responder', displayIconUrl: 'https://example.com/r.png', createdAt: Date.now() - 60_000 });
      await sync.comment(request, id);
      await sync.attachLink(request, { issueId: ENG1, url: 'https://acme.pagerduty.example/incidents/PI00001', title: 'Incident #1', subtitle: 'Triggered' });
      const schema = published();
      const operations = { issue: 'HubSyncIssue', moveIssue: 'HubMoveIssue', createComment: 'HubCreateComment', comment: 'HubSyncComment', attachLink: 'HubAttachLink' } as const;
      for (const [key, name] of Object.entries(operations)) {
        const sent = sentVariables(name);
        expect(sent.length, name).toBeGreaterThan(0);
        for (const variables of sent) expect(variableErrors(schema, ISSUE_SYNC_DOCUMENTS[key as keyof typeof operations], variables), name).toEqual([]);
      }
      expect(variableErrors(schema, ISSUE_SYNC_DOCUMENTS.createComment, { input: { id, issueId: ENG1, body: 'x', authorName: 'no such field' } })).toHaveLength(1);
    });
  });

  it('reads an issue by id or identifier with what the incident body and the ledger show', async () => {
    const issue = await sync.issue(request, 'ENG-1');
    expect(issue).toEqual({
      id: ENG1,
      identifier: 'ENG-1',
      title: expect.any(String),
      url: expect.stringContaining('/acme/issue/ENG-1'),
      teamId: acme.teams.ENG,
      priority: expect.any(Number),
      state: expect.objectContaining({ id: expect.any(String), type: expect.any(String) }),
      projectId: seedId('project', 'acme', 'Checkout Revamp'),
      labelIds: expect.arrayContaining([seedId('label', 'acme', 'Bug')]),
      updatedAt: expect.any(Number),
      description: expect.any(String),
      team: { id: acme.teams.ENG, key: 'ENG', name: 'Engineering' },
      archivedAt: null,
    });
    expect(await sync.issue(request, ENG1)).toEqual(issue);
  });

  it('answers null for an issue Linear does not know, or one of another workspace', async () => {
    for (const id of [randomUUID(), 'ENG-999', seedId('issue', 'globex', 'ENG-1')]) expect(await sync.issue(request, id), id).toBeNull();
  });

  it('returns a deleted (trashed) issue with archivedAt set', async () => {
    await sb.graphql(OPS.IssueDelete, { id: 'ENG-2' }, request.accessToken);
    const deleted = await sync.issue(request, 'ENG-2');
    expect(deleted?.identifier).toBe('ENG-2');
    expect(deleted?.archivedAt).toBeGreaterThan(Date.now() - 60_000);
    expect((await sync.issue(request, 'ENG-1'))?.archivedAt).toBeNull();
  });

  it('moves an issue to a state, and moving it there again changes nothing', async () => {
    await sync.moveIssue(request, ENG1, state('In Progress'));
    expect(sb.state.issues.get(ENG1)?.stateId).toBe(state('In Progress'));
    const updatedAt = sb.state.issues.get(ENG1)?.updatedAt;
    await sync.moveIssue(request, ENG1, state('In Progress'));
    expect(sb.state.issues.get(ENG1)?.stateId).toBe(state('In Progress'));
    expect(sentVariables('HubMoveIssue').at(-1)).toEqual({ id: ENG1, input: { stateId: state('In Progress') } });
    expect(updatedAt).toBeDefined();
    await expect(sync.moveIssue(request, randomUUID(), state('Done'))).rejects.toBeInstanceOf(LinearEntityNotFoundError);
    await expect(sync.moveIssue(request, ENG1, seedId('state', 'acme', 'SUP', 'Done'))).rejects.toBeInstanceOf(ProviderRequestError);
    expect(sb.state.issues.get(ENG1)?.stateId).toBe(state('In Progress'));
  });

  it('creates a comment with the hub’s id; the same id again is `exists` and makes nothing', async () => {
    const before = commentsOn(ENG1).length;
    const id = randomUUID();
    expect(await sync.createComment(request, { id, issueId: ENG1, body: 'Max in PagerDuty: **rolled back**' })).toBe('created');
    expect(sb.state.comments.get(id)).toMatchObject({ issueId: ENG1, body: 'Max in PagerDuty: **rolled back**' });
    expect(await sync.createComment(request, { id, issueId: ENG1, body: 'Max in PagerDuty: **rolled back**' })).toBe('exists');
    expect(commentsOn(ENG1)).toHaveLength(before + 1);
    // Options not given are not sent.
    expect(sentVariables('HubCreateComment')[0]).toEqual({ input: { id, issueId: ENG1, body: 'Max in PagerDuty: **rolled back**' } });
  });

  it('answers `exists` for the id of a comment deleted since, and creates nothing', async () => {
    const id = randomUUID();
    await sync.createComment(request, { id, issueId: ENG1, body: 'first try' });
    await sb.graphql(OPS.CommentDelete, { id }, request.accessToken);
    expect(await sync.createComment(request, { id, issueId: ENG1, body: 'first try' })).toBe('exists');
    expect(commentsOn(ENG1).some((c) => c.id === id)).toBe(false);
  });

  it('makes no second comment where Linear answers a reused id with the existing comment', async () => {
    await sb.control('/_sandbox/settings', { duplicateCommentId: 'returnExisting' });
    const before = commentsOn(ENG1).length;
    const id = randomUUID();
    await sync.createComment(request, { id, issueId: ENG1, body: 'once' });
    expect(['created', 'exists']).toContain(await sync.createComment(request, { id, issueId: ENG1, body: 'once' }));
    expect(commentsOn(ENG1)).toHaveLength(before + 1);
  });

  it('throws other refusals of a comment: an unknown issue, an empty body', async () => {
    await expect(sync.createComment(request, { id: randomUUID(), issueId: randomUUID(), body: 'x' })).rejects.toBeInstanceOf(LinearEntityNotFoundError);
    await expect(sync.createComment(request, { id: randomUUID(), issueId: ENG1, body: '   ' })).rejects.toBeInstanceOf(ProviderRequestError);
  });

  it('backdates a comment and shows it as another person where the token acts as the app', async () => {
    const app = { ...request, accessToken: await sb.token({ actor: 'app', scopes: ['read', 'write'] }) };
    const id = randomUUID();
    const at = Date.parse('2026-01-02T03:04:05.000Z');
    const options = { createAsUser: 'Rita Responder', displayIconUrl: 'https://example.com/rita.png', createdAt: at };
    expect(await sync.createComment(app, { id, issueId: 'ENG-1', body: 'Looking at the logs', ...options })).toBe('created');
    expect(sb.state.comments.get(id)).toMatchObject({ createAsUser: 'Rita Responder', displayIconUrl: 'https://example.com/rita.png', createdAt: at });
    expect(sentVariables('HubCreateComment')[0]).toEqual({ input: { id, issueId: 'ENG-1', body: 'Looking at the logs', ...options, createdAt: '2026-01-02T03:04:05.000Z' } });
  });

  it('reads a comment with its issue, author, URL and time; null when unknown or deleted', async () => {
    const id = randomUUID();
    await sync.createComment(request, { id, issueId: 'ENG-1', body: 'hello' });
    expect(await sync.comment(request, id)).toEqual({
      id,
      issueId: ENG1,
      body: 'hello',
      author: { id: expect.any(String), name: 'Ada Admin' },
      url: expect.stringContaining('ENG-1'),
      createdAt: sb.state.comments.get(id)?.createdAt,
    });
    expect(await sync.comment(request, randomUUID())).toBeNull();
    await sb.graphql(OPS.CommentDelete, { id }, request.accessToken);
    expect(await sync.comment(request, id)).toBeNull();
  });

  it('links a URL on the issue once: the same URL again updates that one attachment', async () => {
    const url = 'https://acme.pagerduty.example/incidents/PI00001';
    await sync.attachLink(request, { issueId: ENG1, url, title: 'PagerDuty incident #1', subtitle: 'Triggered' });
    await sync.attachLink(request, { issueId: 'ENG-1', url, title: 'PagerDuty incident #1', subtitle: 'Resolved' });
    const attachments = sb.state.attachmentsOf(ENG1).filter((a) => !a.archivedAt);
    expect(attachments).toEqual([expect.objectContaining({ url, title: 'PagerDuty incident #1', subtitle: 'Resolved' })]);
    await sync.attachLink(request, { issueId: ENG1, url: `${url}-other`, title: 'Another' });
    expect(sb.state.attachmentsOf(ENG1)).toHaveLength(2);
    expect(sentVariables('HubAttachLink').at(-1)).toEqual({ input: { issueId: ENG1, url: `${url}-other`, title: 'Another' } });
    await expect(sync.attachLink(request, { issueId: randomUUID(), url, title: 'x' })).rejects.toBeInstanceOf(LinearEntityNotFoundError);
  });

  it('throws the provider errors for 500s and rate limits', async () => {
    const id = randomUUID();
    const calls = [
      () => sync.issue(request, ENG1),
      () => sync.moveIssue(request, ENG1, state('Todo')),
      () => sync.createComment(request, { id, issueId: ENG1, body: 'x' }),
      () => sync.comment(request, id),
      () => sync.attachLink(request, { issueId: ENG1, url: 'https://example.com/x', title: 'x' }),
    ];
    for (const call of calls) {
      await sb.control('/_sandbox/faults', { api: [{ kind: '500', count: 1, pathPrefix: '/graphql' }] });
      await expect(call()).rejects.toBeInstanceOf(ProviderUnavailableError);
      await sb.control('/_sandbox/faults', { api: [{ kind: '429', count: 1, pathPrefix: '/graphql', retryAfterSeconds: 3 }] });
      await expect(call()).rejects.toBeInstanceOf(ProviderRateLimitedError);
    }
    expect(sb.state.comments.has(id)).toBe(false);
    expect(sb.state.attachmentsOf(ENG1)).toHaveLength(0);
  });
});
