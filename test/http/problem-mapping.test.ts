import { describe, expect, it } from '@jest/globals';
import { toProblem } from '../../middleware/src/http/problem.js';
import { DuplicateKeyError } from '../../middleware/src/org/errors.js';

const HASH = 'c97fd237'.padEnd(64, '0');

describe('toProblem for a duplicate key', () => {
  it.each([
    'Stage_Request__c.Idempotency_Key__c',
    'Idempotency_Record__c.Key__c',
  ])('hides the hashed key of %s', (keyField) => {
    const { problem } = toProblem(new DuplicateKeyError(keyField, HASH));
    expect(problem.status).toBe(409);
    expect(problem.code).toBe('concurrent_change');
    expect(JSON.stringify(problem)).not.toContain('c97fd237');
    expect(problem.detail).toContain('Idempotency-Key');
  });

  it('names a transition key', () => {
    const { problem } = toProblem(
      new DuplicateKeyError('Stage_Transition__c.Key__c', 'request:a0B1'),
    );
    expect(problem.code).toBe('concurrent_change');
    expect(problem.detail).toContain('request:a0B1');
  });
});
