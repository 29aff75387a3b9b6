import type { CosellContext } from '../app/cosell-context.js';
import type { LifecycleContext } from '../app/lifecycle/lifecycle-context.js';
import { loadBaseConfig } from '../config.js';
import { lifecycleSettings } from '../lifecycle-setup.js';
import type { CommandStore } from './open-store.js';

/**
 * Opens the lifecycle store beside the command's store and reads the fiscal
 * calendar and currencies from the same `COSELL_*` variables the middleware
 * reads, so a report from the CLI matches the API's. Raises `ConfigError`
 * naming each malformed variable.
 */
export function openCommandLifecycle(
  store: CommandStore,
  cosell: CosellContext,
): { context: LifecycleContext; close(): Promise<void> } {
  const config = {
    ...loadBaseConfig(process.env),
    COSELL_STORE: cosell.gateway.kind,
  };
  const settings = lifecycleSettings(config, store.logger, cosell.schema);
  const lifecycle = store.openLifecycleStore({
    schema: cosell.schema,
    now: cosell.now,
  });
  return {
    context: { cosell, store: lifecycle.store, settings },
    close: () => lifecycle.close(),
  };
}
