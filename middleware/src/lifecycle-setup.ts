import type { Router } from 'express';
import type { Logger } from 'pino';
import type { CosellContext } from './app/cosell-context.js';
import type {
  LifecycleContext,
  LifecycleSettings,
} from './app/lifecycle/lifecycle-context.js';
import type { BaseConfig } from './config.js';
import { DEMO_CURRENCY_RATES } from './demo/seed-history.js';
import { lifecycleRoutes } from './http/routes/lifecycle.js';
import type { LifecycleStore } from './org/lifecycle-store.js';
import { openLocalLifecycleStore } from './org/local/lifecycle-local-store.js';
import { SalesforceLifecycleStore } from './org/salesforce/lifecycle-salesforce-store.js';
import { SalesforceGateway } from './org/salesforce/salesforce-gateway.js';

/** The lifecycle store, its routes for `createApp`, and how to close the store. */
export interface LifecycleSetup {
  context: LifecycleContext;
  routes: (ctx: CosellContext) => Router;
  close(): Promise<void>;
}

/**
 * Reads the fiscal calendar and currencies from the configuration. A seeded
 * local store in USD without COSELL_CURRENCY_RATES gets the demo's rates with
 * a warning, so the demo forecast works out of the box. Every other setup
 * uses only the configured rates.
 */
export function lifecycleSettings(
  config: BaseConfig,
  log: Logger,
): LifecycleSettings {
  const corporate = config.COSELL_CORPORATE_CURRENCY;
  let rates = config.COSELL_CURRENCY_RATES ?? {};
  const demo =
    config.COSELL_STORE === 'local' &&
    config.COSELL_SEED_DEMO &&
    corporate === 'USD';
  if (config.COSELL_CURRENCY_RATES === undefined && demo) {
    rates = { ...DEMO_CURRENCY_RATES };
    log.warn(
      { rates },
      'COSELL_CURRENCY_RATES is not set; the forecast uses the demo exchange rates, which are illustrative, not market rates',
    );
  }
  return {
    fiscal: {
      startMonth: config.COSELL_FISCAL_START_MONTH,
      yearBasedOn:
        config.COSELL_FISCAL_YEAR_NAMED_BY === 'end' ? 'ending' : 'starting',
    },
    currency: { corporate, rates },
  };
}

/**
 * Opens the lifecycle store of the gateway's kind: on the Salesforce gateway's
 * connection, or on a connection of its own to the local store file.
 */
export function openLifecycle(
  config: BaseConfig,
  cosell: CosellContext,
  log: Logger,
): LifecycleSetup {
  const settings = lifecycleSettings(config, log);
  let store: LifecycleStore;
  let close = async () => {};
  if (cosell.gateway instanceof SalesforceGateway) {
    store = new SalesforceLifecycleStore(cosell.gateway, { now: cosell.now });
  } else {
    const local = openLocalLifecycleStore({
      dbPath: config.COSELL_DB_PATH,
      schema: cosell.schema,
      now: cosell.now,
    });
    store = local;
    close = () => local.close();
  }
  return {
    context: { cosell, store, settings },
    routes: lifecycleRoutes(store, settings),
    close,
  };
}
