import { describe, expect, it } from '@jest/globals';
import { Messages } from '@salesforce/core';
import { countMessage } from '../../middleware/src/cli/count-message.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);

describe('countMessage', () => {
  it.each([
    ['cosell.report.export', 'count.Rows', '1 row', '2 rows'],
    ['cosell.report.export', 'count.Bytes', '1 byte', '0 bytes'],
    [
      'cosell.report.export',
      'warning.SkippedDeals',
      '1 won deal was left out because the move that won it has no attribution snapshot.',
      '3 won deals were left out because the move that won them has no attribution snapshot.',
    ],
    [
      'cosell.criteria.impact',
      'count.OpenDeals',
      '1 open deal',
      '0 open deals',
    ],
    [
      'cosell.criteria.impact',
      'info.CriteriaOnly',
      '1 more deal keeps its status, but some of its criterion results change.',
      '2 more deals keep their status, but some of their criterion results change.',
    ],
    [
      'cosell.pipeline.evaluate',
      'info.NoStage',
      '1 open deal has no co-sell stage yet.',
      '4 open deals have no co-sell stage yet.',
    ],
  ])('reads %s %s in both forms', (bundle, key, one, other) => {
    const messages = Messages.loadMessages('cosell-stages', bundle);
    const count = Number(/^\d+/.exec(other)?.[0]);

    expect(countMessage(messages, key, 1)).toBe(one);
    expect(countMessage(messages, key, count)).toBe(other);
  });
});
