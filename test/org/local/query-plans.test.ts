import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEAL_CONTEXT_SQL } from '../../../middleware/src/org/local/deal-context.js';
import { compilePlan } from '../../../middleware/src/org/local/deal-plan.js';
import { USER_SELECT } from '../../../middleware/src/org/local/user-reads.js';
import { IDEMPOTENCY_SQL } from '../../../middleware/src/org/local/idempotency-writes.js';
import { WORKFLOW_SQL } from '../../../middleware/src/org/local/workflow-writes.js';
import { GATEWAY_SQL } from '../../../middleware/src/org/local/local-gateway.js';
import { LIFECYCLE_SQL } from '../../../middleware/src/org/local/lifecycle-local-store.js';
import { openTempStore } from '../../helpers/local-store.js';
import type { TempStore } from '../../helpers/local-store.js';
import { PLAN } from '../conformance/store-world.js';

let store: TempStore;
let db: Database.Database;

function queryPlan(sql: string): string[] {
  const parameters = sql.split('?').length - 1;
  const rows = db
    .prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .all(...Array<null>(parameters).fill(null)) as Array<{ detail: string }>;
  return rows.map((row) => row.detail);
}

/** Lines of SQLite's query plan that read a whole table instead of an index. */
function fullScans(sql: string): string[] {
  const lines = queryPlan(sql);
  return lines.filter(
    (detail) => /^SCAN /.test(detail) && !/json_each|CONSTANT ROW/.test(detail),
  );
}

beforeAll(async () => {
  store = await openTempStore();
  db = new Database(store.dbPath, { readonly: true });
});

afterAll(async () => {
  db.close();
  await store.cleanup();
});

describe('statements of the request path', () => {
  const schema = () => store.gateway.describeSchema();

  it('reads a deal and its children by index', async () => {
    const compiled = compilePlan(await schema(), PLAN);
    expect(fullScans(compiled.dealByIdSql)).toEqual([]);
    expect(compiled.children).toHaveLength(4);
    for (const child of compiled.children) {
      expect({ [child.relationshipName]: fullScans(child.sql) }).toEqual({
        [child.relationshipName]: [],
      });
      expect({ [child.relationshipName]: fullScans(child.oneDealSql) }).toEqual(
        { [child.relationshipName]: [] },
      );
    }
  });

  it.each(Object.entries(DEAL_CONTEXT_SQL))(
    'reads %s by index',
    (_name, sql) => {
      expect(fullScans(sql)).toEqual([]);
    },
  );

  it('reads a user by index', () => {
    expect(fullScans(`${USER_SELECT} WHERE u."Id" = ?`)).toEqual([]);
  });

  it.each(Object.entries({ ...WORKFLOW_SQL, ...IDEMPOTENCY_SQL }))(
    'writes with %s by index',
    (_name, sql) => {
      expect(fullScans(sql)).toEqual([]);
    },
  );

  it.each(Object.entries(GATEWAY_SQL))('reads %s by index', (_name, sql) => {
    expect(fullScans(sql)).toEqual([]);
  });

  it.each(
    (
      [
        'registration',
        'partnerRegistrations',
        'idempotency',
        'linkableDeal',
        'account',
      ] as const
    ).map((name) => [name, LIFECYCLE_SQL[name]]),
  )('reads the lifecycle statement %s by index', (_name, sql) => {
    expect(fullScans(sql)).toEqual([]);
  });

  // Each index costs an insert a page write, so the objects that every request and
  // confirmation insert into carry only the indexes a statement reads by.
  it.each([
    [
      'Stage_Request__c',
      [
        'ix_Stage_Request__c_Opportunity__c',
        'wf_request_idempotency_key',
        'wf_request_one_pending',
        'wf_request_pending_deal_key',
        'wf_request_status_expiry',
      ],
    ],
    [
      'Stage_Transition__c',
      ['wf_transition_deal_version', 'wf_transition_key'],
    ],
    ['Idempotency_Record__c', ['wf_idempotency_expiry', 'wf_idempotency_key']],
  ])('indexes %s only where it is read', (objectName, expected) => {
    const names = (
      db
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND name NOT LIKE 'sqlite_autoindex%' ORDER BY name",
        )
        .all(objectName) as Array<{ name: string }>
    ).map((row) => row.name);
    expect(names).toEqual(expected);
  });

  it('streams open deals by the closed index', async () => {
    const compiled = compilePlan(await schema(), PLAN);
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN ${compiled.openDealsSql}`)
      .all() as Array<{
      detail: string;
    }>;
    expect(plan[0]?.detail).toMatch(/USING INDEX wf_opportunity_closed/);
  });

  // A sort in a temporary B-tree would read every transition before the
  // first row comes out, so the index on deal and version gives the order.
  it('streams deal transitions without a sort', () => {
    const plan = queryPlan(LIFECYCLE_SQL.dealTransitions);

    expect(plan).toEqual([
      'SCAN o',
      expect.stringMatching(/^SEARCH t USING INDEX wf_transition_deal_version/),
    ]);
    expect(plan.join('\n')).not.toContain('TEMP B-TREE');
  });
});
