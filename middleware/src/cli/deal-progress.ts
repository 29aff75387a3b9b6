import type { Progress } from '@salesforce/sf-plugins-core';
import { storeError } from './open-store.js';
import type { CommandStore } from './open-store.js';

/**
 * Runs `work` over the store's open deals with a progress bar whose total is
 * the open deal count. The bar stops on failure, and the failure is mapped to
 * the store's error message.
 *
 * The bar is drawn only when stderr, where cli-progress writes it, is a
 * terminal. Otherwise the Progress class of @salesforce/sf-plugins-core
 * (12.2, with cli-progress 3.12) would print a bar line every 2 seconds to a
 * pipe or file whenever stdin is not a terminal.
 */
export async function withDealProgress<T>(
  progress: Progress,
  store: CommandStore,
  bar: { title: string; format: string },
  work: (onDeal: (evaluated: number) => void) => Promise<T>,
): Promise<T> {
  if (process.stderr.isTTY !== true) {
    try {
      return await work(() => {});
    } catch (error) {
      throw storeError(error, store.name);
    }
  }
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
