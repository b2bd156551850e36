import {
  CompiledQuery,
  SqliteAdapter,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Dialect,
  type SqliteDatabase,
  type SqliteDialectConfig,
  type SqliteStatement,
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

/**
 * Kysely prepares every query anew; this keeps the most recently used prepared statements (by
 * SQL text, at most `max`) and hands them out again — a statement runs the same with other
 * parameters, and SQLite re-prepares it by itself after a schema change. Safe because Kysely
 * runs one query at a time on the connection (its mutex), a stream included.
 */
export function withStatementCache(database: SqliteDatabase, max = 500): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    close: () => {
      statements.clear();
      database.close();
    },
    prepare: (text) => {
      const known = statements.get(text);
      if (known !== undefined) {
        // Most recently used last, so the first entry is the one to drop.
        statements.delete(text);
        statements.set(text, known);
        return known;
      }
      const statement = database.prepare(text);
      if (statements.size >= max) {
        const oldest = statements.keys().next();
        if (oldest.done !== true) statements.delete(oldest.value);
      }
      statements.set(text, statement);
      return statement;
    },
  };
}
