import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import fc from 'fast-check';

// A deliberately broken build: the confirmer's side is never checked. The same
// property must find a counterexample, which shows it can fail.
const real = await import('../../middleware/src/domain/stage-requests.js');
jest.unstable_mockModule(
  '../../middleware/src/domain/stage-requests.js',
  () => ({
    ...real,
    assertCanConfirm: () => undefined,
  }),
);

const { confirmRequest, overrideRequest, rejectRequest, withdrawRequest } =
  await import('../../middleware/src/app/answer-request.js');
const { requestStage } = await import(
  '../../middleware/src/app/request-stage.js'
);
const { commandArbitrary, openHarness } = await import('./workflow-model.js');

let harness: Awaited<ReturnType<typeof openHarness>>;

beforeAll(async () => {
  harness = await openHarness();
});

afterAll(async () => {
  await harness.close();
});

describe('joint-confirmation invariant against a broken build', () => {
  it('finds a transition confirmed by the wrong side', async () => {
    const outcome = await fc.check(
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
      { numRuns: 200, seed: 20261204 },
    );
    expect(outcome.failed).toBe(true);
    expect(String(outcome.errorInstance)).toMatch(/confirmed by|requested by/);
  }, 120_000);
});
