import type { Kysely } from 'kysely';
import type { Database } from './tables.js';

type Db = Kysely<Database>;

interface Waiting<Input, Output> {
  input: Input;
  resolve: (output: Output) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  /** Most writes in one transaction (default 256). */
  maxBatch?: number;
  /**
   * Batch transactions in flight at once (default 1). One on SQLite, where there is one writer
   * anyway; a few on PostgreSQL, whose pool can commit several at a time.
   */
  concurrency?: number;
}

/**
 * Group commit: writes submitted while a transaction is being written wait for the next one and
 * share it — one BEGIN, one COMMIT, one fsync (synchronous=FULL, PostgreSQL) for all of them.
 * Every caller's promise settles only after the transaction holding its write has committed:
 * nothing is acknowledged before it is durable. A lone write on an idle hub is committed
 * in the next turn of the event loop (no timer); under load batches grow by themselves, up to
 * `maxBatch`.
 *
 * `write` gets the batch's inputs in submission order and MUST return one output per input, in
 * the same order. A batch whose transaction fails is retried one write per transaction, so a
 * bad write fails alone: its caller gets the error, the others their outputs.
 */
export class GroupCommit<Input, Output> {
  readonly #db: Db;
  readonly #write: (trx: Db, inputs: Input[]) => Promise<Output[]>;
  readonly #maxBatch: number;
  readonly #concurrency: number;
  #waiting: Array<Waiting<Input, Output>> = [];
  #inFlight = 0;
  #scheduled = false;

  constructor(db: Db, write: (trx: Db, inputs: Input[]) => Promise<Output[]>, options: GroupCommitOptions = {}) {
    this.#db = db;
    this.#write = write;
    this.#maxBatch = options.maxBatch ?? 256;
    this.#concurrency = options.concurrency ?? 1;
  }

  /** Resolves with the write's output once its transaction has committed. */
  submit(input: Input): Promise<Output> {
    return new Promise<Output>((resolve, reject) => {
      this.#waiting.push({ input, resolve, reject });
      this.#schedule();
    });
  }

  /**
   * The batch starts after the event loop's current turn (setImmediate), so every request
   * read in this turn joins it. Without the wait there would be no batches on SQLite: its
   * statements are synchronous, so a transaction ends before the next request is even read.
   */
  #schedule(): void {
    if (this.#scheduled || this.#inFlight >= this.#concurrency || this.#waiting.length === 0) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#inFlight += 1;
    try {
      while (this.#waiting.length > 0) await this.#commit(this.#waiting.splice(0, this.#maxBatch));
    } finally {
      this.#inFlight -= 1;
      this.#schedule();
    }
  }

  async #commit(batch: Array<Waiting<Input, Output>>): Promise<void> {
    try {
      const outputs = await this.#transaction(batch.map((waiting) => waiting.input));
      batch.forEach((waiting, index) => waiting.resolve(outputs[index] as Output));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      for (const waiting of batch) {
        try {
          const [output] = await this.#transaction([waiting.input]);
          waiting.resolve(output as Output);
        } catch (alone) {
          waiting.reject(alone);
        }
      }
    }
  }

  async #transaction(inputs: Input[]): Promise<Output[]> {
    return this.#db.transaction().execute(async (trx) => {
      const outputs = await this.#write(trx, inputs);
      // Checked before the commit: a mismatch rolls the batch back.
      if (outputs.length !== inputs.length) throw new Error(`group commit: ${outputs.length} outputs for ${inputs.length} writes`);
      return outputs;
    });
  }
}
