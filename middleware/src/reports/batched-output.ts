/**
 * Writes a stream of rows to a `Writable` in batches, waiting for `drain`
 * whenever the output's buffer is full. The rows held at any moment are at most
 * one batch plus what the output itself buffers, however many rows the source
 * yields.
 */
import type { Writable } from 'node:stream';

export interface BatchOptions {
  /** Rows rendered and written together; 256 when absent. */
  batchRows?: number;
  /** End the output when the rows are written; true when absent. */
  end?: boolean;
}

export interface WriteResult {
  rows: number;
  /** UTF-8 bytes written, the byte order mark included. */
  bytes: number;
}

/** A format: the text before the first row, around a batch of rows, and after the last. */
export interface BatchRenderer<Row> {
  start(): string;
  /** Renders rows numbered from `firstRowNumber` (1-based). */
  rows(batch: readonly Row[], firstRowNumber: number): string;
  finish(): string;
}

const DEFAULT_BATCH_ROWS = 256;

function closedError(): Error {
  return new Error(
    'The report output closed before all rows were written; the reader may have disconnected.',
  );
}

/** Resolves on `drain`; rejects if the output fails or closes first. */
function waitForDrain(out: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      out.off('drain', onDrain);
      out.off('error', onError);
      out.off('close', onClose);
    };
    const onDrain = () => {
      cleanup();
      resolve();
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onClose = () => {
      cleanup();
      reject(closedError());
    };
    out.on('drain', onDrain);
    out.on('error', onError);
    out.on('close', onClose);
  });
}

/** Ends the output and resolves once everything has been flushed. */
function endOutput(out: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    out.end((error?: Error | null) => (error ? reject(error) : resolve()));
  });
}

function checkBatchRows(batchRows: number): number {
  if (!Number.isInteger(batchRows) || batchRows < 1) {
    throw new RangeError(
      `batchRows ${batchRows} is not a whole number of 1 or more; pass a batch size such as 256.`,
    );
  }
  return batchRows;
}

/**
 * Streams rows through a renderer into `out`, respecting backpressure. When the
 * rows or the renderer fail, the output is left open, neither ended nor
 * destroyed, so the caller decides: an HTTP response is best destroyed, so that
 * the client sees a cut download instead of a short one that looks complete.
 */
export async function writeBatched<Row>(
  rows: AsyncIterable<Row> | Iterable<Row>,
  out: Writable,
  renderer: BatchRenderer<Row>,
  options: BatchOptions = {},
): Promise<WriteResult> {
  const batchRows = checkBatchRows(options.batchRows ?? DEFAULT_BATCH_ROWS);
  let bytes = 0;
  const write = async (text: string) => {
    if (text.length === 0) return;
    if (out.destroyed || out.writableEnded) throw closedError();
    bytes += Buffer.byteLength(text, 'utf8');
    if (!out.write(text, 'utf8')) await waitForDrain(out);
  };

  await write(renderer.start());
  let count = 0;
  let batch: Row[] = [];
  for await (const row of rows) {
    batch.push(row);
    if (batch.length === batchRows) {
      const text = renderer.rows(batch, count + 1);
      count += batch.length;
      batch = [];
      await write(text);
    }
  }
  if (batch.length > 0) {
    const text = renderer.rows(batch, count + 1);
    count += batch.length;
    await write(text);
  }
  await write(renderer.finish());
  if (options.end ?? true) await endOutput(out);
  return { rows: count, bytes };
}
