/**
 * Re-wrapping for `rotate-key` (rotate.ts), after the switch to the new key id: batches, one
 * transaction each, every row compare-and-set on its envelope so a concurrent write always wins;
 * passes repeat until one finds nothing, then again after a grace period. Writers cannot add rows
 * under an old key after the switch (see repository.upsertSecretIfKeyActive), so the grace
 * period is a belt over braces.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { HubDatabase } from '../db/database.js';
import type { Logger } from '../observability/logger.js';
import { VaultError } from './errors.js';
import type { Keyring } from './keyring.js';
import { countSecretsNotUnder, listSecretsNotUnder, replaceEnvelopeIfUnchanged } from './repository.js';
import { describeRef } from './vault.js';

export interface RewrapOptions {
  /** Secrets re-wrapped per transaction. Default 100. */
  batchSize?: number;
  /** Pause before the last check for stragglers. Default 2000 ms (tests use 0). */
  graceMs?: number;
  /** Called after each committed batch (tests interleave a running hub's work here). */
  onBatch?: (progress: { rewrapped: number }) => void | Promise<void>;
}

const MAX_PASSES = 50;

/** Re-wraps every secret not under `toKeyId` with `keyring`'s key of that id; answers how many it re-wrapped. */
export async function rewrapAll(
  database: HubDatabase,
  keyring: Keyring,
  toKeyId: string,
  logger: Logger,
  options: RewrapOptions,
): Promise<number> {
  const batchSize = options.batchSize ?? 100;
  const graceMs = options.graceMs ?? 2000;
  let total = 0;
  for (let pass = 1; pass <= MAX_PASSES; pass++) {
    let after = '';
    let seen = 0;
    for (;;) {
      const batch = await listSecretsNotUnder(database.db, toKeyId, after, batchSize);
      if (batch.length === 0) break;
      seen += batch.length;
      after = batch[batch.length - 1]?.id ?? after;
      // Crypto outside the transaction; the transaction only holds compare-and-set updates.
      const updates = batch.map((row) => ({ row, envelope: keyring.rewrap(row.envelope, toKeyId, describeRef(row.ref)) }));
      const done = await database.db.transaction().execute(async (trx) => {
        let n = 0;
        for (const { row, envelope } of updates) {
          if (await replaceEnvelopeIfUnchanged(trx, row, { keyId: toKeyId, envelope })) n++;
        }
        return n;
      });
      total += done;
      logger.debug({ pass, batch: batch.length, rewrapped: total }, 'rotate-key: batch re-wrapped');
      await options.onBatch?.({ rewrapped: total });
    }
    if (seen === 0) {
      if (graceMs > 0) await sleep(graceMs);
      if ((await countSecretsNotUnder(database.db, toKeyId)) === 0) return total;
    }
  }
  throw new VaultError(`secrets were still being written under old keys after ${MAX_PASSES} passes; run rotate-key again`);
}
