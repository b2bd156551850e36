import {
  type ArgumentNode,
  getNamedType,
  isCompositeType,
  Kind,
  OperationTypeNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type SelectionSetNode,
  isObjectType,
  isInterfaceType,
  valueFromASTUntyped,
} from 'graphql';

/**
 * Linear's query complexity (RATE page; API-NOTES §2.6): each property 0.1 point, each object
 * 1 point, and a connection multiplies its children by `first`/`last` (50 when absent);
 * rounded up: `user { createdIssues { nodes { id title createdAt } } }` = 1 + 50 × 1.3 = 66. An approximation of Linear's own scorer, used for the X-Complexity headers and
 * the complexity bucket. Linear rejects any single query above 10 000 points.
 */
export const MAX_QUERY_COMPLEXITY = 10_000;
const DEFAULT_CONNECTION_SIZE = 50;

export function queryComplexity(schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown>): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const operation = document.definitions.find(
    (d) => d.kind === Kind.OPERATION_DEFINITION && (operationName === undefined || d.name?.value === operationName),
  );
  if (operation?.kind !== Kind.OPERATION_DEFINITION) return 0;
  const root = operation.operation === OperationTypeNode.MUTATION ? schema.getMutationType() : schema.getQueryType();
  if (!root) return 0;
  return Math.ceil(selectionCost(root, operation.selectionSet, fragments, variables));
}

function selectionCost(
  parent: GraphQLCompositeType,
  set: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): number {
  let total = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.INLINE_FRAGMENT || sel.kind === Kind.FRAGMENT_SPREAD) {
      const node = sel.kind === Kind.INLINE_FRAGMENT ? sel : fragments.get(sel.name.value);
      if (node) total += selectionCost(parent, node.selectionSet, fragments, variables);
      continue;
    }
    if (sel.name.value === '__typename' || !(isObjectType(parent) || isInterfaceType(parent))) continue;
    const field = parent.getFields()[sel.name.value];
    if (!field) continue;
    const type = getNamedType(field.type);
    if (!sel.selectionSet || !isCompositeType(type)) {
      total += 0.1;
      continue;
    }
    const children = selectionCost(type, sel.selectionSet, fragments, variables);
    if (type.name.endsWith('Connection')) {
      const size = pageArg(sel.arguments ?? [], variables) ?? DEFAULT_CONNECTION_SIZE;
      total += size * children; // e.g. `issues { nodes { id title } }` = 50 × (1 + 0.2)
    } else if (type.name.endsWith('Edge') || type.name === 'PageInfo') {
      total += children;
    } else {
      total += 1 + children;
    }
  }
  return total;
}

function pageArg(args: readonly ArgumentNode[], variables: Record<string, unknown>): number | undefined {
  for (const a of args) {
    if (a.name.value !== 'first' && a.name.value !== 'last') continue;
    const value = valueFromASTUntyped(a.value, variables);
    if (typeof value === 'number') return value;
  }
  return undefined;
}
