import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { HELD_BYTES } from '../../middleware/src/http/held-response.js';
import { PEOPLE, startLifecycleApp, TOKEN } from './lifecycle-test-app.js';
import type { LifecycleTestApp } from './lifecycle-test-app.js';

/**
 * Reports over a store with one invalid stored value, written straight to the
 * SQLite file as a data fix around the middleware's checks would write it.
 */
let app: LifecycleTestApp;
const logLines: Array<Record<string, unknown>> = [];
let openDealId: string;
let firstTransitionId: string;
let lastTransitionId: string;
let historyCsvBytes: number;

/** Sets one stored field, runs `check`, then restores the stored value. */
async function withStoredValue(
  table: string,
  id: string,
  field: string,
  value: string,
  check: () => Promise<void>,
): Promise<void> {
  const db = new Database(app.dbPath);
  try {
    const { stored } = db
      .prepare(`SELECT "${field}" AS stored FROM "${table}" WHERE "Id" = ?`)
      .get(id) as { stored: unknown };
    db.prepare(`UPDATE "${table}" SET "${field}" = ? WHERE "Id" = ?`).run(
      value,
      id,
    );
    try {
      await check();
    } finally {
      db.prepare(`UPDATE "${table}" SET "${field}" = ? WHERE "Id" = ?`).run(
        stored,
        id,
      );
    }
  } finally {
    db.close();
  }
}

/** Returns the Id that `select` reads from the store file. */
function selectId(select: string): string {
  const db = new Database(app.dbPath, { readonly: true });
  try {
    const row = db.prepare(select).get() as { Id: string } | undefined;
    if (!row) throw new Error(`The demo store has no row for: ${select}`);
    return row.Id;
  } finally {
    db.close();
  }
}

/** Stores "garbage" as `Transitioned_At__c` of the last transition during `check`. */
function withInvalidTransitionAt(check: () => Promise<void>): Promise<void> {
  return withStoredValue(
    'Stage_Transition__c',
    lastTransitionId,
    'Transitioned_At__c',
    'garbage',
    check,
  );
}

beforeAll(async () => {
  app = await startLifecycleApp({ logLines });
  const pipeline = await app.call('GET', '/v1/reports/pipeline?format=json', {
    user: PEOPLE.admin,
  });
  openDealId = (pipeline.body as Array<{ dealId: string }>)[0]!.dealId;
  const history = await app.call(
    'GET',
    '/v1/reports/stage-history?format=json',
    { user: PEOPLE.admin },
  );
  const transitions = history.body as Array<{ transitionId: string }>;
  const historyCsv = await app.call(
    'GET',
    '/v1/reports/stage-history?format=csv',
    { user: PEOPLE.admin },
  );
  historyCsvBytes = Buffer.byteLength(historyCsv.text);
  firstTransitionId = transitions[0]!.transitionId;
  lastTransitionId = transitions.at(-1)!.transitionId;
});

afterAll(async () => {
  await app.close();
});

/** Checks a 500 problem that names the record, the field and the stored value. */
function expectStoredValueProblem(
  res: Awaited<ReturnType<LifecycleTestApp['call']>>,
  recordId: string,
  field: string,
  value: string,
): void {
  expect(res.status).toBe(500);
  expect(res.headers.get('content-type')).toMatch(
    /^application\/problem\+json/,
  );
  expect(res.headers.get('content-disposition')).toBeNull();
  expect(res.body.code).toBe('invalid_stored_value');
  expect(res.body.value).toBe(value);
  expect(res.body.detail).toContain(recordId);
  expect(res.body.detail).toContain(field);
  expect(res.body.detail).toContain(JSON.stringify(value));
  expect(res.body.fix).toContain(`Correct ${field} on`);
  expect(res.body.fix).toContain(recordId);
}

describe('reports over invalid stored values', () => {
  it.each([
    ['Amount', '12abc'],
    ['Cosell_Stage_Entered_At__c', 'garbage'],
    ['CloseDate', '2027-02-30'],
  ])('pipeline rejects %s %s', async (field, value) => {
    await withStoredValue('Opportunity', openDealId, field, value, async () => {
      const res = await app.call('GET', '/v1/reports/pipeline?format=csv', {
        user: PEOPLE.admin,
      });
      expectStoredValueProblem(res, openDealId, field, value);
    });
  });

  it.each(['csv', 'json'])('forecast %s rejects Amount', async (format) => {
    // A close date of today puts the deal in the forecast's first quarter.
    const today = app.now().toISOString().slice(0, 10);
    await withStoredValue('Opportunity', openDealId, 'CloseDate', today, () =>
      withStoredValue(
        'Opportunity',
        openDealId,
        'Amount',
        '12abc',
        async () => {
          const res = await app.call(
            'GET',
            `/v1/reports/forecast?format=${format}`,
            { user: PEOPLE.admin },
          );
          expectStoredValueProblem(res, openDealId, 'Amount', '12abc');
        },
      ),
    );
  });

  it('forecast rejects CloseDate', async () => {
    await withStoredValue(
      'Opportunity',
      openDealId,
      'CloseDate',
      'garbage',
      async () => {
        const res = await app.call('GET', '/v1/reports/forecast?format=csv', {
          user: PEOPLE.admin,
        });
        expectStoredValueProblem(res, openDealId, 'CloseDate', 'garbage');
      },
    );
  });

  it.each(['csv', 'json'])(
    'stage-history %s rejects Version__c',
    async (format) => {
      await withStoredValue(
        'Stage_Transition__c',
        firstTransitionId,
        'Version__c',
        'v9',
        async () => {
          const res = await app.call(
            'GET',
            `/v1/reports/stage-history?format=${format}`,
            { user: PEOPLE.admin },
          );
          expectStoredValueProblem(res, firstTransitionId, 'Version__c', 'v9');
          expect(res.body.detail).not.toContain('NaN');
        },
      );
    },
  );

  it('agenda rejects Deal_Registration__c Expires_At__c', async () => {
    const id = selectId(
      `SELECT "Id" FROM "Deal_Registration__c"
       WHERE "Status__c" IN ('Submitted', 'Approved')
         AND "Expires_At__c" IS NOT NULL LIMIT 1`,
    );
    await withStoredValue(
      'Deal_Registration__c',
      id,
      'Expires_At__c',
      'garbage',
      async () => {
        const res = await app.call('GET', '/v1/reports/agenda?format=csv', {
          user: PEOPLE.admin,
        });
        expectStoredValueProblem(res, id, 'Expires_At__c', 'garbage');
      },
    );
  });

  it('agenda lists a request with a bad Expires_At__c', async () => {
    // A pending request belongs to one deal, so the agenda lists that deal as
    // not evaluated and builds the rest.
    const id = selectId(
      `SELECT "Id" FROM "Stage_Request__c" WHERE "Status__c" = 'Pending' LIMIT 1`,
    );
    await withStoredValue(
      'Stage_Request__c',
      id,
      'Expires_At__c',
      'garbage',
      async () => {
        const res = await app.call('GET', '/v1/reports/agenda?format=csv', {
          user: PEOPLE.admin,
        });
        expect(res.status).toBe(200);
        const row = res.text.split('\n').find((line) => line.includes(id));
        expect(row).toContain('Expires_At__c');
      },
    );
  });

  it('attribution rejects closedAt', async () => {
    // The winning move is the deal's last move into its current stage.
    const id = selectId(
      `SELECT t."Id" FROM "Stage_Transition__c" t
       JOIN "Opportunity" o ON o."Id" = t."Opportunity__c"
       WHERE t."To_Stage__c" = o."Cosell_Stage__c"
         AND t."Attribution_Snapshot__c" IS NOT NULL
       ORDER BY t."Version__c" DESC, t.rowid DESC LIMIT 1`,
    );
    await withStoredValue(
      'Stage_Transition__c',
      id,
      'Transitioned_At__c',
      'garbage',
      async () => {
        const res = await app.call(
          'GET',
          '/v1/reports/attribution?format=csv',
          { user: PEOPLE.admin },
        );
        expectStoredValueProblem(res, id, 'Transitioned_At__c', 'garbage');
      },
    );
  });

  it('pipeline writes a large amount in full', async () => {
    await withStoredValue(
      'Opportunity',
      openDealId,
      'Amount',
      '1e21',
      async () => {
        const res = await app.call('GET', '/v1/reports/pipeline?format=csv', {
          user: PEOPLE.admin,
        });
        expect(res.status).toBe(200);
        const rows = parse(res.text, { columns: true }) as Array<
          Record<string, string>
        >;
        const row = rows.find(
          (candidate) => candidate['Deal Id'] === openDealId,
        );
        expect(row?.['Amount']).toBe('1000000000000000000000.00');
      },
    );
  });

  it.each([
    ['?format=svg', {}],
    ['', { accept: 'image/svg+xml' }],
    ['?format=csv', {}],
  ])('funnel%s answers a problem', async (query, headers) => {
    await withInvalidTransitionAt(async () => {
      const res = await app.call('GET', `/v1/reports/funnel${query}`, {
        user: PEOPLE.admin,
        headers,
      });
      expectStoredValueProblem(
        res,
        lastTransitionId,
        'Transitioned_At__c',
        'garbage',
      );
    });
  });

  it.each(['csv', 'json'])(
    'stage-history %s rejects first row',
    async (format) => {
      await withStoredValue(
        'Stage_Transition__c',
        firstTransitionId,
        'Transitioned_At__c',
        'bad',
        async () => {
          const res = await app.call(
            'GET',
            `/v1/reports/stage-history?format=${format}`,
            { user: PEOPLE.admin },
          );
          expectStoredValueProblem(
            res,
            firstTransitionId,
            'Transitioned_At__c',
            'bad',
          );
        },
      );
    },
  );

  it.each(['csv', 'json'])(
    'stage-history %s cut after streaming',
    async (format) => {
      // The invalid row must come after the first HELD_BYTES, which go out
      // with the 200 status and headers. The CSV is the shorter format.
      expect(historyCsvBytes).toBeGreaterThan(HELD_BYTES);
      logLines.length = 0;
      await withInvalidTransitionAt(async () => {
        const response = await fetch(
          `${app.url}/v1/reports/stage-history?format=${format}`,
          {
            headers: {
              authorization: `Bearer ${TOKEN}`,
              'x-cosell-acting-user': PEOPLE.admin,
            },
          },
        );
        expect(response.status).toBe(200);
        // Without a terminating chunk, reading the body fails.
        await expect(response.text()).rejects.toThrow();
      });
      const failures = logLines.filter(
        (line) => line['msg'] === 'report export failed',
      );
      expect(failures).toHaveLength(1);
      expect(failures[0]!['report']).toBe('stage-history');
      expect(failures[0]!['recordId']).toBe(lastTransitionId);
      expect(failures[0]!['field']).toBe('Transitioned_At__c');
    },
  );
});
