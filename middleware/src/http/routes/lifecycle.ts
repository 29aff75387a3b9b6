import { Router } from 'express';
import type { CosellContext } from '../../app/cosell-context.js';
import type { LifecycleSettings } from '../../app/lifecycle/lifecycle-context.js';
import type { LifecycleStore } from '../../org/lifecycle-store.js';
import { insightRoutes } from './lifecycle-insights.js';
import { registrationRoutes } from './lifecycle-registrations.js';

/**
 * Builds the lifecycle endpoints as one `extraRoutes` entry of `createApp`:
 * deal registration, the sync agenda, forecast, backtest and partner scorecards.
 */
export function lifecycleRoutes(
  store: LifecycleStore,
  settings: LifecycleSettings,
): (ctx: CosellContext) => Router {
  return (cosell) => {
    const lc = { cosell, store, settings };
    const router = Router();
    router.use(registrationRoutes(lc));
    router.use(insightRoutes(lc));
    return router;
  };
}
