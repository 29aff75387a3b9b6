import { Writable } from 'node:stream';

/** A Writable that keeps everything written to it, as UTF-8 text and bytes. */
export class CollectingOutput extends Writable {
  readonly chunks: Buffer[] = [];

  constructor() {
    super({ decodeStrings: true });
  }

  override _write(
    chunk: Buffer,
    _encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    this.chunks.push(chunk);
    callback();
  }

  get bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }

  get text(): string {
    return this.bytes.toString('utf8');
  }
}
