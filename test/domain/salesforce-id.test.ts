import { describe, expect, it } from '@jest/globals';
import {
  generateId,
  isSalesforceId,
  keyPrefixOf,
  toId18,
} from '../../middleware/src/domain/salesforce-id.js';

describe('toId18', () => {
  it.each([
    ['001000000000001', '001000000000001AAA'],
    ['0015000000Gv7qJ', '0015000000Gv7qJAAR'],
    ['a0B5e00000AbCdE', 'a0B5e00000AbCdEEAV'],
  ])('widens %s to %s', (id15, id18) => {
    expect(toId18(id15)).toBe(id18);
  });

  it('keeps an 18-character Id', () => {
    expect(toId18('0015000000Gv7qJAAR')).toBe('0015000000Gv7qJAAR');
  });

  it('recomputes a lowercase suffix', () => {
    expect(toId18('0015000000Gv7qJaar')).toBe('0015000000Gv7qJAAR');
  });

  it('rejects a malformed Id with its value in the message', () => {
    expect(() => toId18('001-bad')).toThrow('"001-bad"');
  });
});

describe('isSalesforceId', () => {
  it.each([
    ['0015000000Gv7qJ', true],
    ['0015000000Gv7qJAAR', true],
    ['0015000000Gv7qJaar', true],
    ['0015000000Gv7qJAAA', false],
    ['0015000000Gv7q', false],
    ['0015000000Gv7qJ-AR', false],
    ['', false],
    [42, false],
  ])('says %p is %p', (value, expected) => {
    expect(isSalesforceId(value)).toBe(expected);
  });
});

describe('generateId', () => {
  it('makes valid 18-character Ids with the prefix', () => {
    for (let i = 0; i < 50; i += 1) {
      const id = generateId('a06');
      expect(id).toHaveLength(18);
      expect(keyPrefixOf(id)).toBe('a06');
      expect(isSalesforceId(id)).toBe(true);
    }
  });

  it('builds the body from the random source', () => {
    let next = 0;
    const id = generateId('a06', () => next++ % 62);
    expect(id).toBe(toId18('a060123456789AB'));
  });

  it('rejects a bad prefix', () => {
    expect(() => generateId('a0')).toThrow('key prefix');
  });
});
