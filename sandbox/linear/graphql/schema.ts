import { buildSchema, GraphQLScalarType, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { issueResolvers } from './resolvers/issues.js';
import { mutationResolvers } from './resolvers/mutation.js';
import { queryResolvers } from './resolvers/query.js';
import type { TypeResolvers } from './resolvers/helpers.js';
import { workspaceResolvers } from './resolvers/workspace.js';
import { linearSandboxSdl } from './schema/index.js';

/**
 * The executable schema: the SDL subset plus resolvers. Fields without a resolver read the
 * record property of the same name. DateTime serialises the store's epoch ms as ISO 8601.
 */
export function buildLinearSchema(): GraphQLSchema {
  const schema = buildSchema(linearSandboxSdl);
  const dateTime = schema.getType('DateTime');
  if (dateTime instanceof GraphQLScalarType) {
    dateTime.serialize = (value: unknown) => (typeof value === 'number' ? new Date(value).toISOString() : value);
  }
  for (const resolvers of [queryResolvers, mutationResolvers, workspaceResolvers, issueResolvers]) attach(schema, resolvers);
  return schema;
}

function attach(schema: GraphQLSchema, resolvers: TypeResolvers): void {
  for (const [typeName, fields] of Object.entries(resolvers)) {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) throw new Error(`resolvers for unknown type ${typeName}`);
    const defined = type.getFields();
    for (const [fieldName, resolve] of Object.entries(fields)) {
      const field = defined[fieldName];
      if (!field) throw new Error(`resolver for unknown field ${typeName}.${fieldName}`);
      field.resolve = resolve as unknown as GraphQLFieldResolver<unknown, unknown>;
    }
  }
}
