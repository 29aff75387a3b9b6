import { Writable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import type { Column } from '../../middleware/src/reports/columns.js';
import { CsvWriter } from '../../middleware/src/reports/csv-writer.js';
import { ReportError } from '../../middleware/src/reports/report-error.js';
import { CollectingOutput } from './report-output.js';

interface Cell {
  note: string;
  amount: string | null;
  count: number | null;
  share: string | number | null;
  done: boolean | null;
  day: string | null;
}

const COLUMNS: Column<Cell>[] = [
  { key: 'note', header: 'Note', type: 'text', description: 'Free text.' },
  {
    key: 'amount',
    header: 'Amount',
    type: 'currency',
    description: 'An amount.',
  },
  { key: 'count', header: 'Count', type: 'integer', description: 'A count.' },
  { key: 'share', header: 'Share', type: 'percent', description: 'A share.' },
  { key: 'done', header: 'Done', type: 'boolean', description: 'A flag.' },
  { key: 'day', header: 'Day', type: 'date', description: 'A date.' },
];

/** Hostile and awkward text cells, and whether the writer must prefix them. */
const TEXT_CASES: Array<{ value: string; prefixed: boolean }> = [
  {
    value: '=HYPERLINK("http://example.invalid/?x=1","Click")',
    prefixed: true,
  },
  { value: '+1', prefixed: true },
  { value: '-1', prefixed: true },
  { value: '@SUM(A1:A9)', prefixed: true },
  { value: '\t=1+1', prefixed: true },
  { value: '\r=1+1', prefixed: true },
  { value: '\uFF1D1+1', prefixed: true },
  { value: '=', prefixed: true },
  { value: 'say "hi"', prefixed: false },
  { value: 'a,b,c', prefixed: false },
  { value: 'line one\nline two', prefixed: false },
  { value: 'line one\r\nline two', prefixed: false },
  { value: 'Größe naïve Ørsted 東京', prefixed: false },
  { value: 'emoji 🙂 👩‍💻 🇩🇪', prefixed: false },
  { value: ' padded ', prefixed: false },
  { value: "it's fine", prefixed: false },
  { value: '1=1', prefixed: false },
  { value: '', prefixed: false },
];

function row(note: string, index: number): Cell {
  return {
    note,
    amount: index % 2 === 0 ? '-12.50' : '1000000.05',
    count: index % 2 === 0 ? -1 : 42,
    share: index % 2 === 0 ? '-1' : 33.33,
    done: index % 3 === 0 ? null : index % 2 === 0,
    day: index % 2 === 0 ? '2026-12-04' : null,
  };
}

async function exportCsv(
  rows: Cell[],
  options: ConstructorParameters<typeof CsvWriter<Cell>>[1] = {},
): Promise<CollectingOutput> {
  const out = new CollectingOutput();
  await new CsvWriter(COLUMNS, options).writeRows(rows, out);
  return out;
}

describe('CsvWriter', () => {
  it('round-trips hostile text through csv-parse', async () => {
    const rows = TEXT_CASES.map((entry, index) => row(entry.value, index));
    const out = await exportCsv(rows);
    // Every line break counts as a record end, so an unquoted CR or LF in a
    // field would split its record.
    const records: string[][] = parse(out.text, {
      bom: true,
      record_delimiter: ['\r\n', '\n', '\r'],
    });

    expect(records[0]).toEqual([
      'Note',
      'Amount',
      'Count',
      'Share',
      'Done',
      'Day',
    ]);
    expect(records).toHaveLength(TEXT_CASES.length + 1);
    TEXT_CASES.forEach((entry, index) => {
      const note = records[index + 1]![0]!;
      if (entry.prefixed) {
        expect(note).toBe(`'${entry.value}`);
        expect(note.slice(1)).toBe(entry.value);
      } else {
        expect(note).toBe(entry.value);
      }
    });
  });

  it('writes numeric columns as bare numbers', async () => {
    const out = await exportCsv([row('-1', 0), row('x', 1)]);
    const records: string[][] = parse(out.text);

    expect(records[1]).toEqual(["'-1", '-12.50', '-1', '-1', '', '2026-12-04']);
    expect(records[2]).toEqual(['x', '1000000.05', '42', '33.33', 'false', '']);
    expect(out.text).toContain("'-1,-12.50,-1,-1,,2026-12-04\r\n");
  });

  it('ends records with CRLF and doubles quotes', async () => {
    const out = await exportCsv([row('say "hi"', 1), row('a\nb', 1)]);
    const text = out.text;

    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.split('\r\n')).toHaveLength(4);
    expect(text).toContain('"say ""hi"""');
    expect(text).toContain('"a\nb"');
    expect(text.replace(/"a\nb"/, '').includes('\n\n')).toBe(false);
  });

  it('writes UTF-8 with the BOM only when asked', async () => {
    const withBom = await exportCsv([row('Ørsted 🙂', 1)], { bom: true });
    const without = await exportCsv([row('Ørsted 🙂', 1)]);

    expect([...withBom.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(withBom.bytes.subarray(3).toString('utf8')).toBe(without.text);
    expect(without.bytes[0]).toBe('N'.charCodeAt(0));
    expect(without.text).toContain('Ørsted 🙂');
    expect(without.bytes.includes(Buffer.from('Ørsted 🙂', 'utf8'))).toBe(true);
  });

  it('writes only the header for no rows', async () => {
    const out = await exportCsv([]);

    expect(out.text).toBe('Note,Amount,Count,Share,Done,Day\r\n');
  });

  it('leaves the header out when asked', async () => {
    const out = await exportCsv([row('x', 1)], { header: false });

    expect(out.text).toBe('x,1000000.05,42,33.33,false,\r\n');
  });

  it('rejects an amount given as a number', async () => {
    const bad = { ...row('x', 1), amount: 12.5 as unknown as string };
    const attempt = exportCsv([row('ok', 1), bad]);

    await expect(attempt).rejects.toThrow(ReportError);
    await expect(exportCsv([row('ok', 1), bad])).rejects.toThrow(
      'Row 2, column "amount" (currency): 12.5 (number) is not decimal text',
    );
  });

  it('rejects malformed numbers and dates', async () => {
    await expect(exportCsv([{ ...row('x', 1), share: '1e3' }])).rejects.toThrow(
      'column "share" (percent)',
    );
    await expect(exportCsv([{ ...row('x', 1), count: 1.5 }])).rejects.toThrow(
      'column "count" (integer)',
    );
    await expect(
      exportCsv([{ ...row('x', 1), day: '=2026-12-04' }]),
    ).rejects.toThrow('column "day" (date)');
  });
});

/** A sink that takes one chunk per event-loop turn and counts the records it got. */
class SlowOutput extends Writable {
  lines = 0;
  drains = 0;

  constructor(highWaterMark: number) {
    super({ highWaterMark });
    this.on('drain', () => this.drains++);
  }

  override _write(
    chunk: Buffer,
    _encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    setImmediate(() => {
      for (const byte of chunk) if (byte === 0x0a) this.lines++;
      callback();
    });
  }
}

describe('CsvWriter backpressure', () => {
  it('holds at most one batch of rows', async () => {
    const total = 20_000;
    const batchRows = 8;
    const out = new SlowOutput(1);
    let pulled = 0;
    let maxInFlight = 0;
    async function* source() {
      for (let index = 0; index < total; index++) {
        pulled++;
        // Rows the sink has not received yet; its first line is the header.
        const received = Math.max(0, out.lines - 1);
        maxInFlight = Math.max(maxInFlight, pulled - received);
        yield row(`row ${index}`, index);
      }
    }

    const result = await new CsvWriter(COLUMNS, { batchRows }).writeRows(
      source(),
      out,
    );

    expect(result.rows).toBe(total);
    expect(out.lines).toBe(total + 1);
    expect(out.drains).toBeGreaterThan(total / batchRows - 1);
    expect(maxInFlight).toBeLessThanOrEqual(batchRows);
  });

  it('bounds rows by batch and output buffer', async () => {
    const total = 5_000;
    const batchRows = 16;
    const highWaterMark = 4096;
    const out = new SlowOutput(highWaterMark);
    let pulled = 0;
    let maxInFlight = 0;
    async function* source() {
      for (let index = 0; index < total; index++) {
        pulled++;
        maxInFlight = Math.max(
          maxInFlight,
          pulled - Math.max(0, out.lines - 1),
        );
        yield row(`row ${index}`, index);
      }
    }

    await new CsvWriter(COLUMNS, { batchRows }).writeRows(source(), out);

    // Each record is at least 20 bytes, so the output buffer, which takes
    // writes until it holds highWaterMark bytes, holds at most
    // highWaterMark / 20 rows plus the batch that crossed the mark.
    const bound = batchRows + Math.ceil(highWaterMark / 20) + batchRows;
    expect(out.lines).toBe(total + 1);
    expect(maxInFlight).toBeLessThanOrEqual(bound);
  });

  it('passes a source error on', async () => {
    const out = new CollectingOutput();
    async function* failing() {
      yield row('one', 1);
      throw new Error('store read failed');
    }

    await expect(
      new CsvWriter(COLUMNS, { batchRows: 1 }).writeRows(failing(), out),
    ).rejects.toThrow('store read failed');
    expect(out.writableEnded).toBe(false);
    expect(out.text).toBe(
      'Note,Amount,Count,Share,Done,Day\r\none,1000000.05,42,33.33,false,\r\n',
    );
  });

  it('fails when the output closes early', async () => {
    const out = new Writable({
      highWaterMark: 1,
      write(_chunk, _encoding, callback) {
        setImmediate(() => {
          callback();
          this.destroy();
        });
      },
    });
    async function* endless() {
      for (let index = 0; ; index++) yield row(`row ${index}`, index);
    }

    await expect(
      new CsvWriter(COLUMNS, { batchRows: 4 }).writeRows(endless(), out),
    ).rejects.toThrow('The report output closed before all rows were written');
  });
});
