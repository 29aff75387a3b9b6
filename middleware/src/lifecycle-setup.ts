import type { Router } from 'express';
import type { Logger } from 'pino';
import type { CosellContext } from './app/cosell-context.js';
import type {
  LifecycleContext,
  LifecycleSettings,
} from './app/lifecycle/lifecycle-context.js';
import { ConfigError } from './config.js';
import type { BaseConfig } from './config.js';
import type { OrgSchema } from './domain/schema.js';
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

/** Lifecycle settings, and whether their currency rates are the demo's. */
export interface ResolvedLifecycleSettings {
  settings: LifecycleSettings;
  /** True when COSELL_CURRENCY_RATES is unset and the demo's rates stand in. */
  demoRates: boolean;
}

/**
 * Reads the fiscal calendar, the currencies and the new deals' `StageName` from
 * the configuration. A local store in USD that contains the demo org
 * (`demoStore`) and has no COSELL_CURRENCY_RATES gets the demo's rates, so the
 * demo forecast works out of the box, and `demoRates` is true so the caller
 * can warn. Every other setup uses only the configured rates, so imported
 * deals in other currencies need COSELL_CURRENCY_RATES. Throws `ConfigError`
 * when COSELL_NEW_DEAL_STAGE is not a `StageName` value of the org's schema.
 */
export function resolveLifecycleSettings(
  config: BaseConfig,
  schema: OrgSchema,
  demoStore: boolean,
): ResolvedLifecycleSettings {
  requireStageName(config.COSELL_NEW_DEAL_STAGE, schema);
  const corporate = config.COSELL_CORPORATE_CURRENCY;
  let rates = config.COSELL_CURRENCY_RATES ?? {};
  const demo =
    config.COSELL_STORE === 'local' &&
    config.COSELL_SEED_DEMO &&
    demoStore &&
    corporate === 'USD';
  const demoRates = config.COSELL_CURRENCY_RATES === undefined && demo;
  if (demoRates) rates = { ...DEMO_CURRENCY_RATES };
  const settings: LifecycleSettings = {
    fiscal: {
      startMonth: config.COSELL_FISCAL_START_MONTH,
      yearBasedOn:
        config.COSELL_FISCAL_YEAR_NAMED_BY === 'end' ? 'ending' : 'starting',
    },
    currency: { corporate, rates },
    newDealStageName: config.COSELL_NEW_DEAL_STAGE,
  };
  return { settings, demoRates };
}

/**
 * Resolves the lifecycle settings as `resolveLifecycleSettings` does and logs
 * a warning with the rates when the demo's rates stand in.
 */
export function lifecycleSettings(
  config: BaseConfig,
  log: Logger,
  schema: OrgSchema,
  demoStore: boolean,
): LifecycleSettings {
  const { settings, demoRates } = resolveLifecycleSettings(
    config,
    schema,
    demoStore,
  );
  if (demoRates) {
    log.warn(
      { rates: settings.currency.rates },
      'COSELL_CURRENCY_RATES is not set; the forecast uses the demo exchange rates, which are illustrative, not market rates',
    );
  }
  return settings;
}

/** Throws `ConfigError` unless `stageName` is a value of `Opportunity.StageName`. */
function requireStageName(stageName: string, schema: OrgSchema): void {
  const values =
    schema['Opportunity']?.fields['StageName']?.picklistValues ?? [];
  if (values.length === 0 || values.includes(stageName)) return;
  throw new ConfigError([
    `COSELL_NEW_DEAL_STAGE=${JSON.stringify(stageName)}: not a StageName value of the org; ` +
      `use one of ${values.join(', ')}`,
  ]);
}

/**
 * Opens the lifecycle store of the gateway's kind: on the Salesforce gateway's
 * connection, or on a connection of its own to the local store file.
 * `demoStore` is true when the store contains the demo org or is about to get it.
 */
export function openLifecycle(
  config: BaseConfig,
  cosell: CosellContext,
  log: Logger,
  demoStore: boolean,
): LifecycleSetup {
  const settings = lifecycleSettings(config, log, cosell.schema, demoStore);
  let store: LifecycleStore;
  let close = async () => {};
  if (cosell.gateway instanceof SalesforceGateway) {
    store = new SalesforceLifecycleStore(cosell.gateway, { now: cosell.now });
  } else {
    const local = openLocalLifecycleStore({
      dbPath: config.COSELL_DB_PATH,
      schema: cosell.schema,
      packageDir: config.COSELL_PACKAGE_DIR,
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
