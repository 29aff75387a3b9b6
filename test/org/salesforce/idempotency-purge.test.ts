import { afterEach, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { logLineStream } from '../../helpers/log-lines.js';
import { startTestOrg } from './salesforce-fixture.js';
import type { TestOrg } from './salesforce-fixture.js';

let org: TestOrg | undefined;

afterEach(async () => {
  await org?.close();
  org = undefined;
});

function seedRecords(testOrg: TestOrg, expiresAt: string[]): string[] {
  return expiresAt.map((expires, index) =>
    testOrg.standIn.records.insert('Idempotency_Record__c', {
      Name: `key-${index}`,
      Key__c: `key-${index}`,
      Fingerprint__c: 'f'.repeat(64),
      Response_Status__c: 201,
      Response_Body__c: '{"operation":"request"}',
      Expires_At__c: expires,
    }),
  );
}

function liveIds(testOrg: TestOrg): unknown[] {
  return testOrg.standIn.records
    .all('Idempotency_Record__c')
    .map((r) => r['Id']);
}

describe('SalesforceGateway.purgeExpiredIdempotency', () => {
  it('deletes in one query and one collection call', async () => {
    org = await startTestOrg({ stageModels: false });
    const [, live] = seedRecords(org, [
      '2026-01-01T00:00:00.000Z',
      '2026-06-01T00:00:00.000Z',
    ]);
    org.standIn.resetLog();

    const deleted = await org.gateway.purgeExpiredIdempotency(
      '2026-03-01T00:00:00.000Z',
      200,
    );

    expect(deleted).toBe(1);
    expect(liveIds(org)).toEqual([live]);
    expect(
      org.standIn.requests
        .filter((r) => r.apiCall)
        .map((r) => `${r.method} ${r.resource}`),
    ).toEqual(['GET query', 'DELETE collections']);
  });

  it('asks for at most 200 records', async () => {
    org = await startTestOrg({ stageModels: false });
    org.standIn.resetLog();
    await org.gateway.purgeExpiredIdempotency('2026-03-01T00:00:00.000Z', 500);
    expect(org.standIn.requests[0]?.query['q']).toMatch(/ LIMIT 200$/);
  });

  it('counts and logs a record it could not delete', async () => {
    const lines: string[] = [];
    org = await startTestOrg({
      stageModels: false,
      logger: pino(
        { level: 'warn' },
        logLineStream((l) => lines.push(l)),
      ),
    });
    const [, locked] = seedRecords(org, [
      '2026-01-01T00:00:00.000Z',
      '2026-01-02T00:00:00.000Z',
    ]);
    org.standIn.faults.next({
      kind: 'partial',
      failIndex: 1,
      match: { method: 'DELETE' },
    });

    const deleted = await org.gateway.purgeExpiredIdempotency(
      '2026-03-01T00:00:00.000Z',
      10,
    );

    expect(deleted).toBe(1);
    expect(liveIds(org)).toEqual([locked]);
    const warning = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((entry) => entry['recordId'] !== undefined);
    expect(warning?.['recordId']).toBe(locked);
    expect(warning?.['errorCodes']).toEqual(['UNABLE_TO_LOCK_ROW']);
  });
});
