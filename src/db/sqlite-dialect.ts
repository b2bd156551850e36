import {
  CompiledQuery,
  SqliteAdapter,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Dialect,
  type SqliteDialectConfig,
} from 'kysely';

/**
 * Kysely's SQLite dialect with two corrections that matter for a durable hub:
 *
 * 1. Transactions start with `BEGIN IMMEDIATE`: the write lock is taken up front, so two
 *    processes on one file wait for each other (busy_timeout) instead of failing with
 *    SQLITE_BUSY when a deferred reader tries to upgrade to a writer.
 * 2. DDL is transactional (SQLite supports it; Kysely's adapter says it doesn't), so the
 *    migrator runs the pending migrations inside one immediate transaction: a failed
 *    migration leaves nothing half-applied, and a second process waits, then finds nothing
 *    left to do.
 */
export function createHubSqliteDialect(config: SqliteDialectConfig): Dialect {
  const base = new SqliteDialect(config);
  return {
    createDriver: () => new ImmediateSqliteDriver(config),
    createQueryCompiler: () => base.createQueryCompiler(),
    createAdapter: () => new TransactionalDdlSqliteAdapter(),
    createIntrospector: (db) => base.createIntrospector(db),
  };
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}
