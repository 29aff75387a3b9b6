import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  confirmRequest,
  overrideRequest,
  rejectRequest,
  withdrawRequest,
} from '../../middleware/src/app/answer-request.js';
import { requestStage } from '../../middleware/src/app/request-stage.js';
import { commandArbitrary, openHarness, USERS } from './workflow-model.js';
import type { WorkflowHarness } from './workflow-model.js';

let harness: WorkflowHarness;

const OVERRIDE_PATH = [
  {
    type: 'evidence' as const,
    field: 'Closed_Lost_Reason__c' as const,
    present: true,
  },
  {
    type: 'request' as const,
    user: USERS.vendor,
    kind: 'Close Lost' as const,
    target: -1,
  },
  { type: 'expire' as const },
  { type: 'override' as const, user: USERS.channelManager },
];

const BACK_PATH = [
  {
    type: 'request' as const,
    user: USERS.partner,
    kind: 'Advance' as const,
    target: -1,
  },
  { type: 'confirm' as const, user: USERS.vendor },
  {
    type: 'request' as const,
    user: USERS.vendor,
    kind: 'Back' as const,
    target: 0,
  },
  { type: 'confirm' as const, user: USERS.partnerColleague },
];

beforeAll(async () => {
  harness = await openHarness();
});

afterAll(async () => {
  await harness.close();
});

describe('joint-confirmation invariant', () => {
  it('holds for any sequence of requests and answers', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(commandArbitrary, {
          minLength: 5,
          maxLength: 30,
          size: 'max',
        }),
        (commands) =>
          harness.run(commands, {
            requestStage,
            confirmRequest,
            rejectRequest,
            withdrawRequest,
            overrideRequest,
          }),
      ),
      {
        numRuns: 150,
        seed: 20261204,
        // Known paths through the override and a back move, so both always run.
        examples: [[OVERRIDE_PATH], [BACK_PATH]],
      },
    );
    // The runs must actually move deals, or the property would hold vacuously.
    expect(harness.stats.transitions).toBeGreaterThan(20);
    expect(harness.stats.oneSided).toBeGreaterThan(0);
    expect(harness.stats.backMoves).toBeGreaterThan(0);
  }, 120_000);
});
