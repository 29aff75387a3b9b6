import { afterEach, beforeEach, describe } from '@jest/globals';
import type { OrgGateway } from '../../../middleware/src/org/gateway.js';
import { describeApplyMove } from './apply-move.cases.js';
import { describeListings } from './listings.cases.js';
import { describeReadContext } from './read-context.cases.js';
import { describeRequestWrites } from './request-writes.cases.js';
import { buildWorld } from './store-world.js';
import type { SeedBatch, World } from './store-world.js';

export type { SeedBatch } from './store-world.js';

/**
 * A store under test. `seed` writes records object by object, in the given order,
 * with the Ids given, which use the key prefixes of `describeSchema()`. A
 * Salesforce gateway seeds through the org or the stand-in, the local one through
 * `upsertRecords`.
 */
export interface StorePortHarness {
  gateway: OrgGateway;
  seed(batches: SeedBatch[]): Promise<void>;
  cleanup(): Promise<void>;
}

/** What each case reads: the harness of the current test and its seeded world. */
export interface SuiteState {
  harness: StorePortHarness;
  gateway: OrgGateway;
  world: World;
}

/**
 * Defines the behaviour every `OrgGateway` must have as one jest suite: reading a
 * deal's context, creating and closing requests, applying moves, and the listings.
 * The moves check one pending request per deal, a move only at the version read,
 * each transition key once, and all or none. Every test gets a fresh store from
 * `makeHarness`, seeded with the world of `store-world.ts`.
 */
export function describeStorePort(
  name: string,
  makeHarness: () => Promise<StorePortHarness>,
): void {
  describe(`${name} (store port conformance)`, () => {
    let state: SuiteState | undefined;

    beforeEach(async () => {
      const harness = await makeHarness();
      try {
        const world = buildWorld(await harness.gateway.describeSchema());
        await harness.seed(world.batches);
        state = { harness, gateway: harness.gateway, world };
      } catch (error) {
        await harness.cleanup();
        throw error;
      }
    });

    afterEach(async () => {
      await state?.harness.cleanup();
      state = undefined;
    });

    const current = (): SuiteState => {
      if (!state) throw new Error('The store harness did not start');
      return state;
    };
    describeReadContext(current);
    describeRequestWrites(current);
    describeApplyMove(current);
    describeListings(current);
  });
}
