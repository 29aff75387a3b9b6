import { registerBulkRoutes } from './bulk-query.js';
import { registerCollectionRoutes } from './collections.js';
import { registerCompositeRoute } from './composite.js';
import { registerDescribeRoutes } from './describe.js';
import { registerLimitsRoutes } from './limits-routes.js';
import { registerQueryRoutes } from './query-routes.js';
import { Router } from './router.js';
import { registerSObjectRoutes } from './sobject-routes.js';

/** Every data API route; describe routes come before the sObject row routes they overlap. */
export function buildRouter(): Router {
  const router = new Router();
  registerLimitsRoutes(router);
  registerQueryRoutes(router);
  registerDescribeRoutes(router);
  registerSObjectRoutes(router);
  registerCompositeRoute(router);
  registerCollectionRoutes(router);
  registerBulkRoutes(router);
  return router;
}
