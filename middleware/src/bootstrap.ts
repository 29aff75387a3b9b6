import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { CosellContext } from './app/cosell-context.js';
import type { BaseConfig } from './config.js';
import { buildDealQueryPlan } from './domain/query-plan.js';
import { loadStageModels } from './domain/stage-model.js';
import type { OrgGateway } from './org/gateway.js';

/** Reads the schema and the models from the store and builds the use-case context. */
export async function createCosellContext(
  gateway: OrgGateway,
  options: { timeZone: string; logger: Logger; now?: () => Date },
): Promise<CosellContext> {
  const schema = await gateway.describeSchema();
  const source = await gateway.loadModelSource();
  const models = loadStageModels(source, schema);
  options.logger.info(
    {
      models: [...models.values()].map((m) => ({
        name: m.developerName,
        stages: m.stages.length,
        criteria: m.stages.reduce(
          (sum, s) => sum + s.exitCriteria.length + s.closingCriteria.length,
          0,
        ),
      })),
    },
    'stage models loaded',
  );
  return {
    gateway,
    schema,
    models,
    plan: buildDealQueryPlan(models),
    timeZone: options.timeZone,
    now: options.now ?? (() => new Date()),
    logger: options.logger,
  };
}

/**
 * Returns the configured API token or, in local mode without one, a token generated
 * once and kept beside the store file (readable by the owner only), so a fresh clone
 * starts without setup and the token never appears in a log.
 */
export function resolveLocalApiToken(config: BaseConfig): {
  token: string;
  tokenFile: string | null;
} {
  if (config.COSELL_API_TOKEN)
    return { token: config.COSELL_API_TOKEN, tokenFile: null };
  const tokenFile = path.join(path.dirname(config.COSELL_DB_PATH), 'api-token');
  if (existsSync(tokenFile)) {
    const token = readFileSync(tokenFile, 'utf8').trim();
    if (token.length >= 32) return { token, tokenFile };
  }
  mkdirSync(path.dirname(tokenFile), { recursive: true });
  const token = randomBytes(32).toString('hex');
  writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
  chmodSync(tokenFile, 0o600);
  return { token, tokenFile };
}
