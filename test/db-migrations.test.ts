import { sql, type Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Dialect } from '../src/db/database.js';
import { isMigrated, migrateToLatest } from '../src/db/migrate.js';
import { migrations } from '../src/db/migrations/index.js';
import { TEST_DATABASE_URL, createTestDatabase, testDialects, type TestDatabase } from './helpers/databases.js';

/** One comparable description of a migrated schema: tables, columns, indexes. */
interface SchemaShape {
  tables: Record<string, Record<string, { type: string; nullable: boolean }>>;
  indexes: string[];
}

const TYPE_NAMES: Record<string, string> = { int8: 'bigint', int4: 'integer' };

/** Each dialect's spelling of the same declared type ("int8" = "bigint", "varchar(255)" = "varchar"). */
/** Columns declared `integer primary key autoincrement` on SQLite and `bigserial` on PostgreSQL. */
const AUTOINCREMENT_KEYS = new Set(['jobs.seq']);

function normaliseType(dataType: string): string {
  const base = dataType.toLowerCase().replace(/\(.*\)$/, '');
  return TYPE_NAMES[base] ?? base;
}

async function describeSchema(database: TestDatabase): Promise<SchemaShape> {
  // Columns come from Kysely's dialect-neutral introspection; indexes need one query per dialect.
  const db = database.db as unknown as Kysely<any>;
  const tables: SchemaShape['tables'] = {};
  for (const table of await db.introspection.getTables()) {
    if (database.schema !== undefined && table.schema !== database.schema) continue;
    tables[table.name] = Object.fromEntries(
      table.columns.map((column) => [
        column.name,
        {
          // An autoincrementing key must be INTEGER on SQLite (the 64-bit rowid) and is bigserial on PostgreSQL.
          type:
            database.dialect === 'sqlite' && AUTOINCREMENT_KEYS.has(`${table.name}.${column.name}`)
              ? 'bigint'
              : normaliseType(column.dataType),
          nullable: column.isNullable,
        },
      ]),
    );
  }
  const indexes: string[] = [];
  if (database.dialect === 'sqlite') {
    for (const name of Object.keys(tables)) {
      // An INTEGER PRIMARY KEY is SQLite's rowid and has no index: read primary keys from table_info.
      const pk = await sql<{ name: string }>`select name from pragma_table_info(${name}) where pk > 0 order by pk`.execute(db);
      indexes.push(`${name} primary key (${pk.rows.map((c) => c.name).join(',')})`);
      const list = await sql<{ name: string; unique: number }>`select name, "unique" from pragma_index_list(${name})`.execute(db);
      for (const index of list.rows) {
        if (index.name.startsWith('sqlite_autoindex_') && (await isPrimaryKeyIndex(db, name, index.name))) continue;
        const columns = await sql<{ name: string | null }>`select name from pragma_index_info(${index.name})`.execute(db);
        // An indexed expression has no column name (e.g. coalesce(organisation_id, '') on jobs).
        indexes.push(`${name}(${columns.rows.map((c) => c.name ?? '(expression)').join(',')})${index.unique ? ' unique' : ''}`);
      }
    }
  } else {
    const list = await sql<{ table: string; columns: string; unique: boolean; primary: boolean }>`
      select t.relname as table, array_to_string(array_agg(coalesce(a.attname, '(expression)') order by k.ord), ',') as columns,
             i.indisunique as unique, i.indisprimary as primary
      from pg_index i
      join pg_class t on t.oid = i.indrelid
      join pg_namespace n on n.oid = t.relnamespace
      cross join lateral unnest(i.indkey) with ordinality as k(attnum, ord)
      left join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum
      where n.nspname = ${database.schema}
      group by t.relname, i.indexrelid, i.indisunique, i.indisprimary`.execute(db);
    for (const index of list.rows) {
      indexes.push(
        index.primary
          ? `${index.table} primary key (${index.columns})`
          : `${index.table}(${index.columns})${index.unique ? ' unique' : ''}`,
      );
    }
  }
  return { tables, indexes: indexes.sort() };
}

/** SQLite's automatic index for a PRIMARY KEY (as opposed to one for a UNIQUE constraint). */
async function isPrimaryKeyIndex(db: Kysely<any>, table: string, index: string): Promise<boolean> {
  const origin = await sql<{ origin: string }>`select origin from pragma_index_list(${table}) where name = ${index}`.execute(db);
  return origin.rows[0]?.origin === 'pk';
}

describe('migrations', () => {
  const opened: TestDatabase[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((database) => database.destroy()));
  });
  const fresh = async (dialect: Dialect, migrate = true) => {
    const database = await createTestDatabase(dialect, { migrate });
    opened.push(database);
    return database;
  };

  it.each(testDialects())('migrate an empty %s database, and a second run applies nothing', async (dialect) => {
    const database = await fresh(dialect, false);
    expect(await isMigrated(database)).toBe(false);
    const first = await migrateToLatest(database);
    expect(first.applied).toEqual(Object.keys(migrations));
    expect(await isMigrated(database)).toBe(true);
    expect((await migrateToLatest(database)).applied).toEqual([]);
  });

  it.each(testDialects())('leave nothing half-applied on %s when a migration fails', async (dialect) => {
    const database = await fresh(dialect, false);
    const failing = {
      ...migrations,
      '2999_01_01_0001_half_done': {
        up: async (db: Kysely<any>) => {
          await db.schema.createTable('half_done').addColumn('id', 'text', (c) => c.primaryKey().notNull()).execute();
          await sql`select * from no_such_table`.execute(db);
        },
      },
    };
    await expect(migrateToLatest(database, failing)).rejects.toThrow(/migration 2999_01_01_0001_half_done failed/);
    const tables = (await database.db.introspection.getTables()).filter(
      (table) => database.schema === undefined || table.schema === database.schema,
    );
    // Neither the failing migration's table nor the earlier migrations of the same run remain.
    expect(tables.map((table) => table.name)).not.toContain('half_done');
    expect(tables.map((table) => table.name)).not.toContain('organisations');
    expect((await migrateToLatest(database)).applied).toEqual(Object.keys(migrations));
  });

  it.skipIf(!testDialects().includes('postgres'))('produce the same schema on SQLite and PostgreSQL', async () => {
    const sqlite = await describeSchema(await fresh('sqlite'));
    const postgres = await describeSchema(await fresh('postgres'));
    expect(Object.keys(sqlite.tables).sort()).toEqual(Object.keys(postgres.tables).sort());
    expect(sqlite.tables).toEqual(postgres.tables);
    // SQLite names primary-key indexes differently, so compare by table(columns) + uniqueness.
    expect(sqlite.indexes.filter((i) => !i.startsWith('hub_migrations'))).toEqual(
      postgres.indexes.filter((i) => !i.startsWith('hub_migrations')),
    );
    expect(Object.keys(sqlite.tables)).toContain('vault_secrets');
  });

  it.skipIf(!testDialects().includes('postgres'))(
    'run safely from several processes at once on PostgreSQL (one applies, the others wait)',
    async () => {
      const target = await fresh('postgres', false);
      const others = await Promise.all(
        [1, 2].map(() => openDatabase({ dialect: 'postgres', url: TEST_DATABASE_URL! }, { schema: target.schema! })),
      );
      try {
        const results = await Promise.all([target, ...others].map((handle) => migrateToLatest(handle)));
        expect(results.flatMap((result) => result.applied).sort()).toEqual(Object.keys(migrations).sort());
      } finally {
        await Promise.all(others.map((handle) => handle.close()));
      }
    },
  );
});
