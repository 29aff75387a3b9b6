import type { CosellContext } from '../app/cosell-context.js';
import type { LifecycleContext } from '../app/lifecycle/lifecycle-context.js';
import { loadBaseConfig } from '../config.js';
import { hasDemoData } from '../demo/demo-store.js';
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
 * reads, so a report from the CLI matches the API's. The demo's rates stand
 * in only on a local store that contains the demo org, as on the middleware.
 * Raises `ConfigError` naming each malformed variable.
 */
export async function openCommandLifecycle(
  store: CommandStore,
  cosell: CosellContext,
): Promise<CommandLifecycle> {
  const config = {
    ...loadBaseConfig(process.env),
    COSELL_STORE: cosell.gateway.kind,
  };
  const demoStore =
    cosell.gateway.kind === 'local' && (await hasDemoData(cosell.gateway));
  const { settings, demoRates } = resolveLifecycleSettings(
    config,
    cosell.schema,
    demoStore,
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
