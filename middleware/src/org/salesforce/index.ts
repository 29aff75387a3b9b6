import jsforce from 'jsforce';
import type { Logger } from 'pino';
import { ConfigError } from '../../config.js';
import type { OrgUser } from '../../domain/cosell.js';
import { StoreUnavailableError } from '../errors.js';
import type { SalesforceConfig } from './config.js';
import {
  JwtBearerTokenSource,
  TokenEndpointUnreachableError,
  TokenRequestError,
  tokenErrorHint,
} from './jwt-bearer.js';
import { SalesforceGateway } from './salesforce-gateway.js';
import {
  instanceUrlFailure,
  instanceUrlMissing,
  integrationPermissionWarning,
  integrationUserFailure,
  loginUrlUnreachable,
  type InstanceUrlSource,
} from './start-errors.js';

export {
  loadSalesforceConfig,
  type SalesforceCallSettings,
  type SalesforceConfig,
} from './config.js';
export { JwtBearerTokenSource } from './jwt-bearer.js';
export type { SalesforceConnection, TokenSource } from './salesforce-api.js';
export {
  SalesforceGateway,
  type SalesforceGatewayOptions,
} from './salesforce-gateway.js';
export { soqlString } from './soql.js';
export { SalesforceStartError } from './start-errors.js';

/**
 * Signs in as the integration user with the JWT bearer flow and opens the gateway
 * on a jsforce connection pinned to the configured API version, then describes the
 * objects and reads the integration user, so that an unusable instance URL or an
 * integration user that cannot move stages stops the start. A token request that
 * Salesforce rejects stops the start with a `ConfigError` and a hint. A login or
 * instance URL that cannot be reached, and an integration user that is inactive or
 * lacks the `Cosell_Integration` permission set, stop it with a
 * `SalesforceStartError`.
 */
export async function openSalesforceGateway(
  config: SalesforceConfig,
  logger: Logger,
): Promise<SalesforceGateway> {
  const tokens = new JwtBearerTokenSource({
    loginUrl: config.loginUrl,
    audience: config.audience,
    clientId: config.clientId,
    username: config.username,
    privateKeyPem: config.privateKeyPem,
    timeoutMs: config.timeoutMs,
    logger,
  });
  let token: { accessToken: string; instanceUrl: string };
  try {
    token = await tokens.requestToken();
  } catch (error) {
    if (error instanceof TokenRequestError) {
      throw new ConfigError([
        `Salesforce rejected the JWT bearer token request for ${config.username} at ${config.loginUrl} ` +
          `(${error.error}: ${error.description}): ${tokenErrorHint(error)}`,
      ]);
    }
    if (error instanceof TokenEndpointUnreachableError) {
      throw loginUrlUnreachable(config.loginUrl, error);
    }
    throw error;
  }
  const instanceUrl = config.instanceUrl ?? token.instanceUrl;
  if (instanceUrl === '') throw instanceUrlMissing(config.loginUrl);
  const connection = new jsforce.Connection({
    instanceUrl,
    accessToken: token.accessToken,
    version: config.apiVersion,
  });
  logger.info(
    {
      apiVersion: config.apiVersion,
      instanceUrl,
      loginUrl: config.loginUrl,
      audience: config.audience,
      username: config.username,
    },
    `Salesforce gateway connected with API version ${config.apiVersion}`,
  );
  const gateway = new SalesforceGateway({
    connection,
    settings: config,
    logger,
    tokenSource: tokens,
  });
  const source: InstanceUrlSource = {
    instanceUrl,
    fromToken: token.instanceUrl,
    configured: config.instanceUrl,
    timeoutMs: config.timeoutMs,
  };
  try {
    // The gateway keeps the schema, so the start reads it only once.
    await gateway.describeSchema();
  } catch (error) {
    if (!(error instanceof StoreUnavailableError)) throw error;
    throw instanceUrlFailure(source, 'describing the objects', error);
  }
  let user: OrgUser | null;
  try {
    user = await gateway.findUserByUsername(config.username);
  } catch (error) {
    if (!(error instanceof StoreUnavailableError)) throw error;
    throw instanceUrlFailure(source, 'reading the integration user', error);
  }
  const failure = integrationUserFailure(config.username, user);
  if (failure) throw failure;
  const warning = integrationPermissionWarning(config.username, user!);
  if (warning) logger.warn({ username: config.username }, warning);
  return gateway;
}
