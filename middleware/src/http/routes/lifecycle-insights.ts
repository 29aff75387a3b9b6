import { Router } from 'express';
import {
  getBacktest,
  getForecast,
} from '../../app/lifecycle/forecast-views.js';
import type { LifecycleContext } from '../../app/lifecycle/lifecycle-context.js';
import { getScorecards } from '../../app/lifecycle/partner-scorecards.js';
import { getSyncAgenda } from '../../app/lifecycle/sync-agenda.js';
import {
  AgendaQuerySchema,
  BacktestQuerySchema,
  ForecastQuerySchema,
  ScorecardQuerySchema,
} from '../lifecycle-schemas.js';
import { echoHeader } from '../echoed-text.js';
import { HttpProblem } from '../problem.js';
import { validate, validated } from '../validate.js';
import type { z } from '../zod-openapi.js';

const MARKDOWN = 'text/markdown';

/** `GET /v1/agenda`, `/v1/forecast`, `/v1/backtest` and `/v1/partners/scorecard`. */
export function insightRoutes(lc: LifecycleContext): Router {
  const router = Router();

  router.get(
    '/agenda',
    validate({ query: AgendaQuerySchema }),
    async (req, res) => {
      const type = req.accepts(['application/json', MARKDOWN]);
      if (!type) {
        // Without an Accept header req.accepts takes any type, so one was sent.
        const accept = echoHeader(req.get('accept') ?? '');
        throw new HttpProblem(
          'not_acceptable',
          `The agenda is served as application/json or ${MARKDOWN}, and the Accept header allows neither.${accept.note}`,
          `Send Accept: application/json or Accept: ${MARKDOWN}.`,
          { value: accept.text },
        );
      }
      const { query } = validated<
        unknown,
        unknown,
        z.infer<typeof AgendaQuerySchema>
      >(req);
      const agenda = await getSyncAgenda(lc, req.actor!, query);
      res.vary('Accept');
      if (type === MARKDOWN) {
        res.type(`${MARKDOWN}; charset=utf-8`).send(agenda.markdown());
        return;
      }
      res.json(agenda.view);
    },
  );

  router.get(
    '/forecast',
    validate({ query: ForecastQuerySchema }),
    async (req, res) => {
      const { query } = validated<
        unknown,
        unknown,
        z.infer<typeof ForecastQuerySchema>
      >(req);
      res.json(await getForecast(lc, req.actor!, query.period));
    },
  );

  router.get(
    '/backtest',
    validate({ query: BacktestQuerySchema }),
    async (req, res) => {
      const { query } = validated<
        unknown,
        unknown,
        z.infer<typeof BacktestQuerySchema>
      >(req);
      res.json(await getBacktest(lc, req.actor!, query.periods));
    },
  );

  router.get(
    '/partners/scorecard',
    validate({ query: ScorecardQuerySchema }),
    async (req, res) => {
      const { query } = validated<
        unknown,
        unknown,
        z.infer<typeof ScorecardQuerySchema>
      >(req);
      res.json(await getScorecards(lc, req.actor!, query.partnerAccountId));
    },
  );

  return router;
}
