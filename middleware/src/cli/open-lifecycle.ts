import type { CosellContext } from '../app/cosell-context.js';
import type { LifecycleContext } from '../app/lifecycle/lifecycle-context.js';
import { loadBaseConfig } from '../config.js';
import { resolveLifecycleSettings } from '../lifecycle-setup.js';
import type { CommandStore } from './open-store.js';

/** The lifecycle context a command reads, and how to close its store. */
export interface CommandLifecycle {
  context: LifecycleContext;
  /**
   * True when COSELL_CURRENCY_RATES is unset and the demo's rates stand in.
   * The command warns through `SfCommand.warn` instead of a JSON log line.
   */
  demoRates: boolean;
  close(): Promise<void>;
}

/**
 * Opens the lifecycle store beside the command's store and reads the fiscal
 * calendar and currencies from the same `COSELL_*` variables the middleware
 * reads, so a report from the CLI matches the API's. Raises `ConfigError`
 * naming each malformed variable.
 */
export function openCommandLifecycle(
  store: CommandStore,
  cosell: CosellContext,
): CommandLifecycle {
  const config = {
    ...loadBaseConfig(process.env),
    COSELL_STORE: cosell.gateway.kind,
  };
  const { settings, demoRates } = resolveLifecycleSettings(
    config,
    cosell.schema,
  );
  const lifecycle = store.openLifecycleStore({
    schema: cosell.schema,
    now: cosell.now,
  });
  return {
    context: { cosell, store: lifecycle.store, settings },
    demoRates,
    close: () => lifecycle.close(),
  };
}
