import { describe, expect, it } from '@jest/globals';
import {
  echoedClientKey,
  idempotencyKeyReused,
} from '../../middleware/src/app/write-conflict.js';

function input(clientKey: string) {
  return { key: 'stored-hash', clientKey, fingerprint: 'body-hash' };
}

describe('echoed Idempotency-Key', () => {
  it('keeps a printable key as sent', () => {
    expect(echoedClientKey(input('order-42'))).toBe('order-42');
  });

  it('escapes control characters', () => {
    expect(echoedClientKey(input('a\nb\x7fc\x85d\u202ee'))).toBe(
      'a\\x0Ab\\x7Fc\\x85d\\u202Ee',
    );
  });

  it('cuts a long key to 100 characters', () => {
    expect(echoedClientKey(input('k'.repeat(500)))).toBe('k'.repeat(100));
  });

  it('names the escaped key when reused', () => {
    const error = idempotencyKeyReused(input('order\r\n42'));
    expect(error.code).toBe('idempotency_key_reused');
    expect(error.message).toBe(
      'Idempotency-Key "order\\x0D\\x0A42" was already used with a different request.',
    );
    expect(error.details.value).toBe('order\\x0D\\x0A42');
  });
});
