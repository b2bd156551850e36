import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  parse,
  validate,
  type GraphQLArgument,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linearSandboxSdl } from '../../sandbox/linear/graphql/schema/index.js';
import { OPS } from '../../sandbox/linear/operations.js';
import { eventually, startLinearSandbox, startReceiver, type Receiver, type RunningLinearSandbox } from '../../sandbox/linear/testing.js';
import { referenceAvailable, referenceDir } from '../helpers/reference.js';

/**
 * The Linear stand-in against Linear's published schema (shared/reference/linear/schema.graphql,
 * read in place): its schema is a strict subset, every operation its tests send is valid there,
 * and the webhook bodies it sends use only fields of the published *WebhookPayload types.
 */
describe.skipIf(!referenceAvailable())('Linear stand-in conforms to the published schema', () => {
  let published: GraphQLSchema;
  let sandbox: GraphQLSchema;
  beforeAll(() => {
    published = buildSchema(readFileSync(path.join(referenceDir(), 'linear', 'schema.graphql'), 'utf8'));
    sandbox = buildSchema(linearSandboxSdl);
  });

  it('is a strict subset: same types, fields, arguments, input fields, enum values and interfaces', () => {
    expect(subsetProblems(sandbox, published)).toEqual([]);
    expect(Object.keys(sandbox.getQueryType()!.getFields()).length).toBeGreaterThanOrEqual(12);
  });

  it('notices a changed nullability, an invented field and a wrong argument type (the check can fail)', () => {
    const broken = buildSchema(
      linearSandboxSdl
        .replace('priority: Float!\n', 'priority: Float\n')
        .replace('  branchName: String!\n', '  branchName: String!\n  mood: String\n')
        .replace('team(id: String!): Team!', 'team(id: ID!): Team!'),
    );
    expect(subsetProblems(broken, published)).toEqual([
      'Issue.priority: Float here, Float! published',
      'Issue.mood does not exist in the published schema',
      'Query.team(id): ID! here, String! published',
    ]);
  });

  it('sends only operations that are valid against the published schema', () => {
    for (const [name, op] of Object.entries(OPS)) {
      const errors = validate(published, parse(op)).map((e) => e.message);
      expect(errors, name).toEqual([]);
    }
  });

  describe('webhook bodies', () => {
    let sb: RunningLinearSandbox;
    let receiver: Receiver;
    let bodies: Array<Record<string, unknown>>;
    beforeAll(async () => {
      sb = await startLinearSandbox();
      receiver = await startReceiver();
      const admin = await sb.token();
      const app = await sb.token({ actor: 'app', scopes: ['read', 'write'] });
      await sb.graphql(OPS.HookAllTeams, { url: receiver.url }, admin);
      await sb.graphql(OPS.IssueCreate, { input: { teamId: 'ENG', title: 'Conformance', priority: 2, labelIds: [] } }, admin);
      await sb.graphql(OPS.IssueUpdate, { id: 'ENG-1', input: { priority: 2 } }, app);
      await sb.graphql(OPS.Comment, { issueId: 'ENG-1', body: 'Conformance' }, admin);
      await sb.graphql(OPS.IssueDelete, { id: 'ENG-2' }, admin);
      // Issue 11: a comment edited and deleted, an issue moved to another team.
      const made = await sb.graphql<{ commentCreate: { comment: { id: string } } }>(OPS.CommentCreate, { input: { issueId: 'ENG-3', body: 'to edit' } }, admin);
      const commentId = made.body.data!.commentCreate.comment.id;
      await sb.graphql(OPS.CommentUpdate, { id: commentId, input: { body: 'edited' } }, admin);
      await sb.graphql(OPS.CommentDelete, { id: commentId }, admin);
      await sb.graphql(OPS.IssueMove, { id: 'ENG-4', teamId: 'SUP' }, admin);
      await eventually(() => receiver.received.length === 8);
      bodies = receiver.received.map((r) => JSON.parse(r.body) as Record<string, unknown>);
    });
    afterAll(async () => {
      await receiver?.close();
      await sb?.close();
    });

    it('use the envelope fields of EntityWebhookPayload', () => {
      for (const body of bodies) {
        expect(unknownKeys(published, 'EntityWebhookPayload', body)).toEqual([]);
        expect(missingKeys(published, 'EntityWebhookPayload', body, ['updatedFrom', 'url', 'actor'])).toEqual([]);
      }
    });

    it('describe actors as UserActorWebhookPayload or OauthClientActorWebhookPayload', () => {
      // Deliveries travel concurrently: pick them by what they report, not by arrival order.
      const byUser = bodies.find((b) => b.type === 'Issue' && b.action === 'create')!.actor as Record<string, unknown>;
      const byApp = bodies.find((b) => b.type === 'Issue' && b.action === 'update')!.actor as Record<string, unknown>;
      expect(byUser.type).toBe('user');
      expect(missingKeys(published, 'UserActorWebhookPayload', byUser)).toEqual([]);
      expect(unknownKeys(published, 'UserActorWebhookPayload', byUser)).toEqual([]);
      expect(byApp.type).toBe('OauthClient');
      expect(Object.keys(byApp).sort()).toEqual(fieldNames(published, 'OauthClientActorWebhookPayload'));
    });

    it('carry Issue data with IssueWebhookPayload fields (and its child payloads)', () => {
      for (const body of bodies.filter((b) => b.type === 'Issue')) {
        const data = body.data as Record<string, unknown>;
        expect(unknownKeys(published, 'IssueWebhookPayload', data)).toEqual([]);
        // reactionData: reactions are not modelled by the stand-in.
        expect(missingKeys(published, 'IssueWebhookPayload', data, ['reactionData'])).toEqual([]);
        expect(unknownKeys(published, 'WorkflowStateChildWebhookPayload', data.state as Record<string, unknown>)).toEqual([]);
        expect(unknownKeys(published, 'TeamChildWebhookPayload', data.team as Record<string, unknown>)).toEqual([]);
        for (const label of data.labels as Array<Record<string, unknown>>) expect(unknownKeys(published, 'IssueLabelChildWebhookPayload', label)).toEqual([]);
      }
    });

    it('carry Comment data with CommentWebhookPayload fields (create, update and remove)', () => {
      const comments = bodies.filter((b) => b.type === 'Comment');
      expect(comments.map((b) => b.action).sort()).toEqual(['create', 'create', 'remove', 'update']);
      for (const body of comments) {
        const comment = body.data as Record<string, unknown>;
        expect(unknownKeys(published, 'CommentWebhookPayload', comment)).toEqual([]);
        expect(missingKeys(published, 'CommentWebhookPayload', comment, ['reactionData'])).toEqual([]);
        expect(unknownKeys(published, 'IssueChildWebhookPayload', comment.issue as Record<string, unknown>)).toEqual([]);
        expect(unknownKeys(published, 'UserChildWebhookPayload', comment.user as Record<string, unknown>)).toEqual([]);
      }
    });

    it('report a team move with previousIdentifiers (IssueWebhookPayload) and updatedFrom fields of the issue', () => {
      const moved = bodies.find((b) => b.type === 'Issue' && (b.data as Record<string, unknown>).previousIdentifiers !== undefined && ((b.data as { previousIdentifiers: string[] }).previousIdentifiers).length > 0)!;
      expect((moved.data as { previousIdentifiers: string[] }).previousIdentifiers).toEqual(['ENG-4']);
      expect(unknownKeys(published, 'IssueWebhookPayload', moved.updatedFrom as Record<string, unknown>)).toEqual([]);
    });
  });
});

function fieldNames(schema: GraphQLSchema, typeName: string): string[] {
  const type = schema.getType(typeName);
  if (!isObjectType(type)) throw new Error(`${typeName} is not an object type`);
  return Object.keys(type.getFields()).sort();
}

function unknownKeys(schema: GraphQLSchema, typeName: string, value: Record<string, unknown>): string[] {
  const known = new Set(fieldNames(schema, typeName));
  return Object.keys(value).filter((k) => !known.has(k));
}

/** Non-null fields of the published type that the value lacks (or holds null for). */
function missingKeys(schema: GraphQLSchema, typeName: string, value: Record<string, unknown>, allowed: string[] = []): string[] {
  const type = schema.getType(typeName);
  if (!isObjectType(type)) throw new Error(`${typeName} is not an object type`);
  return Object.values(type.getFields())
    .filter((f) => isNonNullType(f.type) && !allowed.includes(f.name) && (value[f.name] === undefined || value[f.name] === null))
    .map((f) => `${f.name}: ${String(getNamedType(f.type))}`);
}

/**
 * Differences that make `subset` NOT a strict subset of `full`: every named type, field,
 * argument, input field, enum value and implemented interface of `subset` must exist in `full`
 * with the same type string (nullability and list wrappers included) and the same default.
 * Returns human-readable problems; empty = conforming.
 */
function subsetProblems(subset: GraphQLSchema, full: GraphQLSchema): string[] {
  const problems: string[] = [];
  for (const type of Object.values(subset.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    const other = full.getType(type.name);
    if (!other) {
      problems.push(`type ${type.name} does not exist in the published schema`);
      continue;
    }
    if (kind(type) !== kind(other)) {
      problems.push(`type ${type.name} is a ${kind(type)} here but a ${kind(other)} in the published schema`);
      continue;
    }
    problems.push(...typeProblems(type, other));
  }
  for (const root of ['Query', 'Mutation'] as const) {
    const mine = root === 'Query' ? subset.getQueryType() : subset.getMutationType();
    const theirs = root === 'Query' ? full.getQueryType() : full.getMutationType();
    if (mine && mine.name !== theirs?.name) problems.push(`${root} root is ${mine.name}, published ${theirs?.name}`);
  }
  return problems;
}

function typeProblems(type: GraphQLNamedType, other: GraphQLNamedType): string[] {
  const problems: string[] = [];
  if ((isObjectType(type) || isInterfaceType(type)) && (isObjectType(other) || isInterfaceType(other))) {
    const theirs = other.getFields();
    for (const field of Object.values(type.getFields())) {
      const match = theirs[field.name];
      if (!match) {
        problems.push(`${type.name}.${field.name} does not exist in the published schema`);
        continue;
      }
      if (String(field.type) !== String(match.type)) problems.push(`${type.name}.${field.name}: ${String(field.type)} here, ${String(match.type)} published`);
      problems.push(...argProblems(`${type.name}.${field.name}`, field.args, match.args));
    }
    const interfaces = new Set(other.getInterfaces().map((i) => i.name));
    for (const i of type.getInterfaces()) {
      if (!interfaces.has(i.name)) problems.push(`${type.name} implements ${i.name} here but not in the published schema`);
    }
  } else if (isInputObjectType(type) && isInputObjectType(other)) {
    const theirs = other.getFields();
    for (const field of Object.values(type.getFields())) {
      const match = theirs[field.name];
      if (!match) problems.push(`input ${type.name}.${field.name} does not exist in the published schema`);
      else if (String(field.type) !== String(match.type)) problems.push(`input ${type.name}.${field.name}: ${String(field.type)} here, ${String(match.type)} published`);
    }
  } else if (isEnumType(type) && isEnumType(other)) {
    const values = new Set(other.getValues().map((v) => v.name));
    for (const v of type.getValues()) if (!values.has(v.name)) problems.push(`enum ${type.name}.${v.name} does not exist in the published schema`);
  } else if (isUnionType(type) && isUnionType(other)) {
    const members = new Set(other.getTypes().map((t) => t.name));
    for (const t of type.getTypes()) if (!members.has(t.name)) problems.push(`union ${type.name} member ${t.name} is not published`);
  }
  return problems;
}

function argProblems(where: string, mine: readonly GraphQLArgument[], theirs: readonly GraphQLArgument[]): string[] {
  const problems: string[] = [];
  for (const arg of mine) {
    const match = theirs.find((a) => a.name === arg.name);
    if (!match) problems.push(`${where}(${arg.name}) does not exist in the published schema`);
    else if (String(arg.type) !== String(match.type)) problems.push(`${where}(${arg.name}): ${String(arg.type)} here, ${String(match.type)} published`);
    else if (JSON.stringify(arg.defaultValue) !== JSON.stringify(match.defaultValue)) problems.push(`${where}(${arg.name}) default differs`);
  }
  return problems;
}

function kind(type: GraphQLNamedType): string {
  if (isObjectType(type)) return 'object type';
  if (isInterfaceType(type)) return 'interface';
  if (isInputObjectType(type)) return 'input type';
  if (isEnumType(type)) return 'enum';
  if (isUnionType(type)) return 'union';
  if (isScalarType(type)) return 'scalar';
  return 'type';
}
