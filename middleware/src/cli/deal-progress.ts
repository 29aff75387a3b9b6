import type { Progress } from '@salesforce/sf-plugins-core';
import { storeError } from './open-store.js';
import type { CommandStore } from './open-store.js';

/**
 * Runs `work` over the store's open deals with a progress bar whose total is
 * the open deal count. The bar stops on failure, and the failure is mapped to
 * the store's error message.
 */
export async function withDealProgress<T>(
  progress: Progress,
  store: CommandStore,
  bar: { title: string; format: string },
  work: (onDeal: (evaluated: number) => void) => Promise<T>,
): Promise<T> {
  try {
    progress.start(await store.countOpenDeals(), {}, bar);
    const result = await work((evaluated) => progress.update(evaluated));
    progress.finish();
    return result;
  } catch (error) {
    progress.stop();
    throw storeError(error, store.name);
  }
}
