import { Router } from 'express';
import type { CosellContext } from '../../app/cosell-context.js';
import type { LifecycleSettings } from '../../app/lifecycle/lifecycle-context.js';
import type { LifecycleStore } from '../../org/lifecycle-store.js';
import { insightRoutes } from './lifecycle-insights.js';
import { registrationRoutes } from './lifecycle-registrations.js';
import { reportRoutes } from './reports.js';

/**
 * Builds the lifecycle endpoints as one `extraRoutes` entry of `createApp`:
 * deal registration, the sync agenda, forecast, backtest, partner scorecards and
 * the ops reports.
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
    router.use(reportRoutes(lc));
    return router;
  };
}
