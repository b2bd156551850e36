import type { Kysely, Selectable } from 'kysely';
import type { Database, OrganisationsTable } from '../db/tables.js';

/** An organisation: the tenant every other row belongs to. */
export interface Organisation {
  id: string;
  name: string;
  createdAt: number;
}

type Db = Kysely<Database>;

function organisationFromRow(row: Selectable<OrganisationsTable>): Organisation {
  return { id: row.id, name: row.name, createdAt: row.created_at };
}

export async function insertOrganisation(db: Db, organisation: Organisation): Promise<void> {
  await db
    .insertInto('organisations')
    .values({ id: organisation.id, name: organisation.name, created_at: organisation.createdAt })
    .execute();
}

/** The caller's own organisation; `organisationId` always comes from the session, never from input. */
export async function findOrganisation(db: Db, organisationId: string): Promise<Organisation | undefined> {
  const row = await db.selectFrom('organisations').selectAll().where('id', '=', organisationId).executeTakeFirst();
  return row === undefined ? undefined : organisationFromRow(row);
}

export async function renameOrganisation(db: Db, organisationId: string, name: string): Promise<Organisation | undefined> {
  await db.updateTable('organisations').set({ name }).where('id', '=', organisationId).execute();
  return findOrganisation(db, organisationId);
}
