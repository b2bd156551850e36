/** A catalog read live from a vendor through the hub (it may fail while the rest of the form works). */
export type CatalogState<T> = { kind: 'none' } | { kind: 'loading' } | { kind: 'failed'; message: string } | { kind: 'loaded'; value: T };

