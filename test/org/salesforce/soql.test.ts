import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  recordId,
  soqlDateTime,
  soqlId,
  soqlString,
} from '../../../middleware/src/org/salesforce/soql.js';
import {
  seedDeal,
  seedPendingRequest,
  startTestOrg,
  type TestOrg,
} from './salesforce-fixture.js';

describe('soqlString', () => {
  it.each([
    ['plain text', 'Acme', "'Acme'"],
    ['a quote', "O'Brien", "'O\\'Brien'"],
    ['a backslash', 'a\\b', "'a\\\\b'"],
    ['a backslash before a quote', "\\'", "'\\\\\\''"],
    ['a trailing backslash', 'end\\', "'end\\\\'"],
    ['a line break', 'one\ntwo', "'one\\ntwo'"],
    ['a carriage return and tab', 'a\r\tb', "'a\\r\\tb'"],
    ['LIKE wildcards', '100%_done', "'100%_done'"],
    ['a double quote', 'say "hi"', '\'say "hi"\''],
  ])('quotes %s', (_label, input, expected) => {
    expect(soqlString(input)).toBe(expected);
  });

  it('keeps every quote escaped', () => {
    const literal = soqlString("x' OR Name != 'y\\' OR '1'='1");
    const inner = literal.slice(1, -1);
    expect(inner.replace(/\\\\/g, '').match(/(?<!\\)'/g)).toBeNull();
  });
});

describe('soqlId and soqlDateTime', () => {
  it('widens a 15-character Id', () => {
    expect(soqlId('0015000000Gv7qJ')).toBe("'0015000000Gv7qJAAR'");
    expect(recordId('0015000000Gv7qJ')).toBe('0015000000Gv7qJAAR');
  });

  it.each([["006' OR Id != '"], ['006000000000001AAB'], ['']])(
    'rejects %p as an Id',
    (value) => {
      expect(() => soqlId(value)).toThrow(/is not a 15- or 18-character/);
    },
  );

  it('formats a UTC date-time literal to the second', () => {
    expect(soqlDateTime('2026-12-02T10:15:30.999+01:00')).toBe(
      '2026-12-02T09:15:30Z',
    );
    expect(() => soqlDateTime('yesterday')).toThrow(/"yesterday"/);
  });
});

describe('hostile text in queries', () => {
  let org: TestOrg;
  const hostile = [
    "caller:it's",
    'caller:back\\slash',
    "caller:\\'",
    'caller:50%_off',
    'caller:line\nbreak',
    "caller:x' OR Idempotency_Key__c != '",
  ];
  const requestIds = new Map<string, string>();

  beforeAll(async () => {
    org = await startTestOrg({ stageModels: false });
    const sellerId = org.standIn.users[1]!.id;
    for (const key of hostile) {
      const { dealId } = seedDeal(org.standIn);
      requestIds.set(
        key,
        seedPendingRequest(org.standIn, dealId, sellerId, {
          Idempotency_Key__c: key,
        }),
      );
    }
  });

  afterAll(() => org?.close());

  it.each(hostile.map((key) => [key]))(
    'finds the request of %p',
    async (key) => {
      const found = await org.gateway.findRequestByIdempotencyKey(key);
      expect(found?.id).toBe(requestIds.get(key));
      expect(found?.idempotencyKey).toBe(key);
    },
  );

  it('matches nothing with an injection attempt', async () => {
    expect(
      await org.gateway.findRequestByIdempotencyKey("nope' OR Name != '"),
    ).toBeNull();
    expect(
      await org.gateway.findRequestByIdempotencyKey('caller:%'),
    ).toBeNull();
  });
});
