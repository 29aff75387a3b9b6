/**
 * A `Writable` in front of a streamed HTTP response that keeps the first bytes
 * back. A failure in the first rows of a download can then still get a problem
 * response with its own status instead of a cut 200.
 */
import { Writable } from 'node:stream';
import type { Response } from 'express';

/** Bytes held before the status and headers are sent. */
export const HELD_BYTES = 64 * 1024;

/**
 * Keeps what is written until `limit` bytes are held or the output ends. Then
 * it calls `start`, which sets the status and headers, and passes the held
 * bytes and everything after them to `res` with its backpressure. Memory stays
 * at most `limit` bytes plus one write. Until `started` is true, nothing has
 * been written to `res`, so its status and headers can still be set.
 */
export class HeldResponse extends Writable {
  private heldChunks: Buffer[] = [];
  private heldBytes = 0;
  private startedResponse = false;

  constructor(
    private readonly res: Response,
    private readonly start: () => void,
    private readonly limit = HELD_BYTES,
  ) {
    super();
    // A client that disconnects ends the export: a destroyed output makes the
    // writer stop. It is destroyed without an error, because nothing may be
    // listening for one between writes.
    res.once('close', () => {
      if (!this.writableFinished) this.destroy();
    });
  }

  /** Whether the status and headers have been written to the response. */
  get started(): boolean {
    return this.startedResponse;
  }

  override _write(
    chunk: Buffer,
    _encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    if (this.startedResponse) {
      this.send(chunk, callback);
      return;
    }
    this.heldChunks.push(chunk);
    this.heldBytes += chunk.length;
    if (this.heldBytes < this.limit) {
      callback();
      return;
    }
    this.startResponse();
    // The callback waits until the status line and the held bytes are handed
    // to the socket, so that a failure after it cannot discard them.
    this.res.write(this.takeHeld(), () => callback());
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (!this.startedResponse) this.startResponse();
    this.res.end(this.takeHeld(), () => callback());
  }

  private startResponse(): void {
    this.startedResponse = true;
    this.start();
  }

  private takeHeld(): Buffer {
    const bytes = Buffer.concat(this.heldChunks);
    this.heldChunks = [];
    this.heldBytes = 0;
    return bytes;
  }

  private send(chunk: Buffer, callback: (error?: Error | null) => void): void {
    if (this.res.write(chunk)) {
      callback();
      return;
    }
    this.res.once('drain', () => callback());
  }
}
