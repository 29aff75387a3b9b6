import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readForceAppSchema } from '../../../middleware/src/org/force-app/index.js';
import {
  ConcurrentChangeError,
  DuplicateKeyError,
  PendingRequestExistsError,
} from '../../../middleware/src/org/errors.js';
import { openLocalGateway } from '../../../middleware/src/org/local/local-gateway.js';
import type { LocalGateway } from '../../../middleware/src/org/local/local-gateway.js';
import type { NewStageRequest } from '../../../middleware/src/org/gateway.js';
import { StoreSchemaError } from '../../../middleware/src/org/local/migrations.js';

const PACKAGE_DIR = path.resolve('force-app');
const DEAL = '006000000000001AAA';
const VENDOR = '005000000000001AAA';
const PARTNER = '005000000000100AAA';
let dir: string;
let gateway: LocalGateway;

const plan = {
  dealFields: [
    'Id',
    'Name',
    'Cosell_Stage__c',
    'Cosell_Stage_Version__c',
    'Partner_Account__r.Name',
  ],
  children: { Close_Plan_Steps__r: ['Id', 'Owner_Side__c'] },
};

function request(overrides: Partial<NewStageRequest> = {}): NewStageRequest {
  return {
    dealId: DEAL,
    fromStage: 'Registered',
    toStage: 'Jointly_Qualified',
    kind: 'Advance',
    requestedById: VENDOR,
    requestingSide: 'Vendor',
    status: 'Pending',
    respondedById: null,
    respondedAt: null,
    reason: null,
    expiresAt: '2030-01-01T00:00:00.000Z',
    createdAt: '2026-12-01T00:00:00.000Z',
    idempotencyKey: null,
    evaluationSnapshot: '[]',
    dealVersion: 1,
    ...overrides,
  };
}

function move(requestId: string, key = `request:${requestId}`) {
  return {
    dealId: DEAL,
    expectedVersion: 1,
    toStage: 'Jointly_Qualified',
    enteredAt: '2026-12-02T00:00:00.000Z',
    transition: {
      dealId: DEAL,
      fromStage: 'Registered',
      toStage: 'Jointly_Qualified',
      requestId,
      requestedById: VENDOR,
      confirmedById: PARTNER,
      at: '2026-12-02T00:00:00.000Z',
      evidenceSnapshot: '[]',
      attributionSnapshot: null,
      oneSided: false,
      key,
      version: 2,
    },
    request: {
      id: requestId,
      status: 'Applied' as const,
      respondedById: PARTNER,
      respondedAt: '2026-12-02T00:00:00.000Z',
      evaluationSnapshot: '[]',
    },
  };
}

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cosell-local-'));
  gateway = await openLocalGateway({
    dbPath: path.join(dir, 's.db'),
    packageDir: PACKAGE_DIR,
  });
  await gateway.upsertRecords('Account', [
    { Id: '001000000000100AAA', Name: 'Acme Cloud' },
  ]);
  await gateway.upsertRecords('Opportunity', [
    {
      Id: DEAL,
      Name: 'Deal',
      StageName: 'Prospecting',
      CloseDate: '2027-01-31',
      Cosell_Stage__c: 'Registered',
      Cosell_Stage_Version__c: 1,
      Partner_Account__c: '001000000000100AAA',
    },
  ]);
});

afterEach(async () => {
  await gateway.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('schema and migrations', () => {
  it('has a table and column for every force-app object and field', async () => {
    const schema = await readForceAppSchema(PACKAGE_DIR);
    const db = new Database(path.join(dir, 's.db'), { readonly: true });
    try {
      for (const object of Object.values(schema)) {
        if (object.name.endsWith('__mdt')) continue;
        const columns = (
          db.prepare(`PRAGMA table_info("${object.name}")`).all() as Array<{
            name: string;
          }>
        ).map((c) => c.name);
        expect(columns.sort()).toEqual(Object.keys(object.fields).sort());
      }
    } finally {
      db.close();
    }
  });

  it('reopens an existing file without migrating again', async () => {
    await gateway.close();
    gateway = await openLocalGateway({
      dbPath: path.join(dir, 's.db'),
      packageDir: PACKAGE_DIR,
    });
    expect(await gateway.countRecords('Opportunity')).toBe(1);
  });

  it('refuses a file whose column was removed from force-app, naming it', async () => {
    await gateway.close();
    const db = new Database(path.join(dir, 's.db'));
    db.prepare(
      "INSERT INTO schema_columns (object_name, field_name, column_type) VALUES ('Opportunity', 'Gone__c', 'TEXT')",
    ).run();
    db.close();
    const reopened = openLocalGateway({
      dbPath: path.join(dir, 's.db'),
      packageDir: PACKAGE_DIR,
    });
    await expect(reopened).rejects.toThrow(StoreSchemaError);
    await expect(reopened).rejects.toThrow('Opportunity.Gone__c');
    gateway = await openLocalGateway({
      dbPath: path.join(dir, 'other.db'),
      packageDir: PACKAGE_DIR,
    });
  });
});

describe('upsertRecords', () => {
  it('names the record, field and fix of a bad value', async () => {
    await expect(
      gateway.upsertRecords('Close_Plan_Step__c', [
        { Opportunity__c: DEAL, Step__c: 'ok', Owner_Side__c: 'Customer' },
        { Opportunity__c: DEAL, Step__c: 'bad', Owner_Side__c: 'Nobody' },
      ]),
    ).rejects.toThrow(
      /record 2: .*Owner_Side__c.*use one of: Customer, Vendor, Partner/,
    );
    expect(await gateway.countRecords('Close_Plan_Step__c')).toBe(0);
  });

  it('rejects an unknown field', async () => {
    await expect(
      gateway.upsertRecords('Opportunity', [{ Id: DEAL, Nope__c: 1 }]),
    ).rejects.toThrow('Nope__c is not a field of Opportunity');
  });

  it('widens 15-character Ids and updates only given fields', async () => {
    await gateway.upsertRecords('Opportunity', [
      { Id: DEAL.slice(0, 15), Name: 'Renamed' },
    ]);
    const [deal] = await gateway.queryRecords('Opportunity', {
      where: { Id: DEAL },
    });
    expect(deal?.['Name']).toBe('Renamed');
    expect(deal?.['Cosell_Stage__c']).toBe('Registered');
  });
});

describe('deal context', () => {
  it('returns lookups and children in the plan', async () => {
    await gateway.upsertRecords('Close_Plan_Step__c', [
      { Opportunity__c: DEAL, Step__c: 'Sign', Owner_Side__c: 'Customer' },
    ]);
    const context = await gateway.readDealContext({
      dealId: DEAL,
      actingUserId: VENDOR,
      plan,
    });
    expect(context.deal?.['Partner_Account__r']).toEqual({
      Id: '001000000000100AAA',
      Name: 'Acme Cloud',
    });
    expect(context.deal?.['Close_Plan_Steps__r']).toHaveLength(1);
    expect(context.actingUser).toBeNull();
  });
});

describe('requests and moves', () => {
  it('allows one pending request per deal', async () => {
    const first = await gateway.createRequest(request());
    await expect(gateway.createRequest(request())).rejects.toThrow(
      PendingRequestExistsError,
    );
    await expect(gateway.createRequest(request())).rejects.toMatchObject({
      pendingRequestId: first.id,
    });
  });

  it('applies a move once and refuses a stale version', async () => {
    const pending = await gateway.createRequest(request());
    const transition = await gateway.applyMove(move(pending.id));
    expect(transition.version).toBe(2);
    await expect(gateway.applyMove(move(pending.id))).rejects.toThrow(
      ConcurrentChangeError,
    );
    expect(await gateway.listTransitions(DEAL)).toHaveLength(1);
    expect((await gateway.getRequest(pending.id))?.status).toBe('Applied');
  });

  it('writes nothing when the transition key is taken', async () => {
    const first = await gateway.createRequest(request());
    await gateway.applyMove(move(first.id, 'fixed-key'));
    const second = await gateway.createRequest(
      request({ fromStage: 'Jointly_Qualified' }),
    );
    const clash = { ...move(second.id, 'fixed-key'), expectedVersion: 2 };
    await expect(gateway.applyMove(clash)).rejects.toThrow(DuplicateKeyError);
    const [deal] = await gateway.queryRecords('Opportunity', {
      where: { Id: DEAL },
    });
    expect(deal?.['Cosell_Stage_Version__c']).toBe(2);
    expect((await gateway.getRequest(second.id))?.status).toBe('Pending');
  });

  it('closes only a pending request and lists expired ones', async () => {
    const pending = await gateway.createRequest(
      request({ expiresAt: '2026-01-01T00:00:00.000Z' }),
    );
    const due = await gateway.listExpiredPending(
      '2026-06-01T00:00:00.000Z',
      10,
    );
    expect(due.map((r) => r.id)).toEqual([pending.id]);
    const closed = await gateway.closeRequest({
      id: pending.id,
      status: 'Expired',
      respondedById: null,
      respondedAt: '2026-06-01T00:00:00.000Z',
      reason: null,
    });
    expect(closed.status).toBe('Expired');
    await expect(
      gateway.closeRequest({
        id: pending.id,
        status: 'Rejected',
        respondedById: PARTNER,
        respondedAt: '2026-06-01T00:00:00.000Z',
        reason: 'late',
      }),
    ).rejects.toThrow(ConcurrentChangeError);
    expect(await gateway.createRequest(request())).toBeDefined();
  });

  it('finds a request by its idempotency key', async () => {
    const created = await gateway.createRequest(
      request({ idempotencyKey: 'k1' }),
    );
    expect((await gateway.findRequestByIdempotencyKey('k1'))?.id).toBe(
      created.id,
    );
  });
});

describe('streamOpenDeals', () => {
  it('streams open deals in batches with their children', async () => {
    const deals = Array.from({ length: 1200 }, (_, i) => ({
      Id: `006${String(1000 + i).padStart(12, '0')}`,
      Name: `Deal ${i}`,
      StageName: 'Prospecting',
      CloseDate: '2027-01-31',
      IsClosed: i % 4 === 0,
    }));
    await gateway.upsertRecords('Opportunity', deals);
    let count = 0;
    for await (const deal of gateway.streamOpenDeals(plan)) {
      expect(Array.isArray(deal['Close_Plan_Steps__r'])).toBe(true);
      count += 1;
    }
    expect(count).toBe(1 + 900);
  });
});
