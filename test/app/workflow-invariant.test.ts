import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  confirmRequest,
  overrideRequest,
  rejectRequest,
  withdrawRequest,
} from '../../middleware/src/app/answer-request.js';
import { requestStage } from '../../middleware/src/app/request-stage.js';
import { commandArbitrary, openHarness } from './workflow-model.js';
import type { WorkflowHarness } from './workflow-model.js';

let harness: WorkflowHarness;

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
        fc.array(commandArbitrary, { minLength: 1, maxLength: 25 }),
        (commands) =>
          harness.run(commands, {
            requestStage,
            confirmRequest,
            rejectRequest,
            withdrawRequest,
            overrideRequest,
          }),
      ),
      { numRuns: 120, seed: 20261204 },
    );
    // The runs must actually move deals, or the property would hold vacuously.
    expect(harness.stats.transitions).toBeGreaterThan(50);
    expect(harness.stats.oneSided).toBeGreaterThan(0);
    expect(harness.stats.backMoves).toBeGreaterThan(0);
  }, 120_000);
});
