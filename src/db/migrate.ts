import { Migrator, type Kysely, type MigrationProvider } from 'kysely';
import { migrations } from './migrations/index.js';

// Kysely<any>: migrations run against whatever schema exists before them, not the typed one.
const provider: MigrationProvider = { getMigrations: async () => migrations };

/** The database to migrate; `schema` when a PostgreSQL handle works inside its own schema. */
export interface MigrationTarget {
  db: Kysely<any>;
  schema?: string | undefined;
}

function createMigrator({ db, schema }: MigrationTarget): Migrator {
  return new Migrator({
    db,
    provider,
    // Kysely looks for its own tables across every schema unless told which one is ours.
    ...(schema !== undefined ? { migrationTableSchema: schema } : {}),
    migrationTableName: 'hub_migrations',
    migrationLockTableName: 'hub_migrations_lock',
  });
}

/**
 * Applies every pending migration, each in its own transaction. Safe to call from several
 * processes at once: Kysely's migrator takes a lock (an advisory lock on PostgreSQL, a lock
 * row on SQLite) so only one applies them.
 */
export async function migrateToLatest(target: MigrationTarget): Promise<{ applied: string[] }> {
  const { error, results } = await createMigrator(target).migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((result) => result.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed`, { cause: error });
  }
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}

/** True when every known migration has been applied (used by /readyz). */
export async function isMigrated(target: MigrationTarget): Promise<boolean> {
  try {
    const all = await createMigrator(target).getMigrations();
    return all.every((migration) => migration.executedAt !== undefined);
  } catch {
    return false;
  }
}
