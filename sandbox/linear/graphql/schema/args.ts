/** The arguments Linear gives list fields: `(after, before, filter?, first, includeArchived, last, orderBy)`. */
export const list = (filter?: string) =>
  `after: String, before: String${filter ? `, filter: ${filter}` : ''}, first: Int, includeArchived: Boolean, last: Int, orderBy: PaginationOrderBy`;
