import { describe, expect, it } from '@jest/globals';
import type { Column } from '../../middleware/src/reports/columns.js';
import { JsonWriter } from '../../middleware/src/reports/json-writer.js';
import { MarkdownWriter } from '../../middleware/src/reports/markdown-writer.js';
import { CollectingOutput } from './report-output.js';

interface Line {
  name: string | null;
  amount: string | null;
  deals: number;
  rate: number | null;
  oneSided: boolean;
  at: string;
}

const COLUMNS: Column<Line>[] = [
  { key: 'name', header: 'Name', type: 'text', description: 'A name.' },
  {
    key: 'amount',
    header: 'Amount',
    type: 'currency',
    description: 'An amount.',
  },
  { key: 'deals', header: 'Deals', type: 'integer', description: 'Deals.' },
  { key: 'rate', header: 'Rate (%)', type: 'percent', description: 'Rate.' },
  {
    key: 'oneSided',
    header: 'One-Sided',
    type: 'boolean',
    description: 'A flag.',
  },
  { key: 'at', header: 'At', type: 'datetime', description: 'When.' },
];

const LINES: Line[] = [
  {
    name: '=cmd|"/c calc"!A1',
    amount: '-12.50',
    deals: 3,
    rate: 33.33,
    oneSided: false,
    at: '2026-12-04T10:00:00.000Z',
  },
  {
    name: 'Pipe | and\nnewline \\ 🙂',
    amount: null,
    deals: 0,
    rate: null,
    oneSided: true,
    at: '2026-12-04T11:30:00Z',
  },
  {
    name: null,
    amount: '123456789012345678.99',
    deals: -1,
    rate: 0.000001,
    oneSided: false,
    at: '2026-12-04T12:00:00+01:00',
  },
];

describe('JsonWriter', () => {
  it('writes an array with typed values', async () => {
    const out = new CollectingOutput();
    const result = await new JsonWriter(COLUMNS, { batchRows: 2 }).writeRows(
      LINES,
      out,
    );
    const parsed = JSON.parse(out.text);

    expect(result.rows).toBe(3);
    expect(result.bytes).toBe(out.bytes.length);
    // Every type survives the round trip: amounts as decimal text, counts
    // and rates as numbers, flags as booleans, and empty cells as null.
    expect(parsed).toEqual(LINES);
    expect(typeof parsed[0].amount).toBe('string');
    expect(typeof parsed[0].rate).toBe('number');
    expect(Object.keys(parsed[0])).toEqual(COLUMNS.map((c) => c.key));
    expect(out.text).toContain('"rate":0.000001');
  });

  it('writes NDJSON, one object a line', async () => {
    const out = new CollectingOutput();
    await new JsonWriter(COLUMNS, { layout: 'ndjson' }).writeRows(LINES, out);
    const lines = out.text.split('\n');

    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
    expect(lines.slice(0, 3).map((line) => JSON.parse(line).deals)).toEqual([
      3, 0, -1,
    ]);
  });

  it('writes an empty array for no rows', async () => {
    const out = new CollectingOutput();
    await new JsonWriter(COLUMNS).writeRows([], out);

    expect(JSON.parse(out.text)).toEqual([]);
  });

  it('rejects a non-finite rate', async () => {
    const out = new CollectingOutput();
    const bad = { ...LINES[0]!, rate: Number.NaN };

    await expect(new JsonWriter(COLUMNS).writeRows([bad], out)).rejects.toThrow(
      'Row 1, column "rate" (percent): NaN (number)',
    );
  });
});

describe('MarkdownWriter', () => {
  it('escapes pipes and line breaks', async () => {
    const out = new CollectingOutput();
    await new MarkdownWriter(COLUMNS, { title: 'Lines' }).writeRows(LINES, out);
    const lines = out.text.trimEnd().split('\n');

    expect(lines[0]).toBe('# Lines');
    expect(lines[2]).toBe(
      '| Name | Amount | Deals | Rate (%) | One-Sided | At |',
    );
    expect(lines[3]).toBe('| --- | ---: | ---: | ---: | --- | --- |');
    expect(lines[5]).toBe(
      '| Pipe \\| and newline \\\\ 🙂 |  | 0 |  | true | 2026-12-04T11:30:00Z |',
    );
    expect(lines).toHaveLength(7);
  });

  it('keeps one cell per column in every row', async () => {
    const out = new CollectingOutput();
    await new MarkdownWriter(COLUMNS).writeRows(LINES, out);
    const rows = out.text.trimEnd().split('\n');

    for (const line of rows) {
      const cells = line.split(/(?<!\\)\|/).slice(1, -1);
      expect(cells).toHaveLength(COLUMNS.length);
    }
  });

  it('writes the empty text for no rows', async () => {
    const out = new CollectingOutput();
    await new MarkdownWriter(COLUMNS, {
      title: 'Nothing',
      emptyText: 'None.',
    }).writeRows([], out);

    expect(out.text).toBe('# Nothing\n\nNone.\n');
  });
});
