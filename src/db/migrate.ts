import { Migrator, type Kysely, type Migration } from 'kysely';
import { OperatorError } from '../core/operator-error.js';
import { migrations as allMigrations } from './migrations/index.js';

/** The database to migrate; `schema` when a PostgreSQL handle works inside its own schema. */
export interface MigrationTarget {
  // Kysely<any>: migrations run against whatever schema exists before them, not the typed one.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as Kysely's migration guide does
  db: Kysely<any>;
  schema?: string | undefined;
}

function createMigrator({ db, schema }: MigrationTarget, migrations: Record<string, Migration> = allMigrations): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    // Kysely looks for its own tables across every schema unless told which one is ours.
    ...(schema !== undefined ? { migrationTableSchema: schema } : {}),
    migrationTableName: 'hub_migrations',
    migrationLockTableName: 'hub_migrations_lock',
  });
}

/**
 * Applies every pending migration, all in one transaction: if one fails, none of them is
 * applied. Safe to call from several processes at once: on PostgreSQL Kysely's migrator holds
 * an advisory lock; on SQLite the transaction is `BEGIN IMMEDIATE` (db/sqlite-dialect.ts), so
 * a second process waits for the first and then finds nothing left to do.
 * `migrations` replaces the real list (tests only).
 */
export async function migrateToLatest(
  target: MigrationTarget,
  migrations?: Record<string, Migration>,
): Promise<{ applied: string[] }> {
  const { error, results } = await createMigrator(target, migrations).migrateToLatest();
  const newer = error instanceof Error ? /previously executed migration (\S+) is missing/.exec(error.message)?.[1] : undefined;
  if (newer !== undefined) {
    // An older version started on a database a newer one migrated (a rollback, or a rolling
    // upgrade's old process restarting): the operator's to resolve (docs/deployment.md#upgrades-with-migrations).
    throw new OperatorError(
      `the database has migration ${newer}, which this version of the hub does not know: a newer version migrated it. Run that version (or newer), or restore the backup taken before the upgrade (docs/deployment.md#upgrades-with-migrations)`,
    );
  }
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
