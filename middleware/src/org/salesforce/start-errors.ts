import type { OrgUser } from '../../domain/cosell.js';
import { StoreUnavailableError } from '../errors.js';
import { SalesforceCallError } from './api-error.js';
import type { TokenEndpointUnreachableError } from './jwt-bearer.js';
import { describeNetworkFailure } from './network-failure.js';

/**
 * A Salesforce-mode start that failed on a setting or an org setup the user can
 * fix or check. The login URL or the instance URL cannot be reached or used, or
 * the integration user is inactive or lacks its permission set. The server
 * prints the message without a stack.
 */
export class SalesforceStartError extends Error {
  constructor(message: string, options?: { cause: unknown }) {
    super(message, options);
    this.name = 'SalesforceStartError';
  }
}

/** Names COSELL_SF_LOGIN_URL when the token request got no response. */
export function loginUrlUnreachable(
  loginUrl: string,
  error: TokenEndpointUnreachableError,
): SalesforceStartError {
  return new SalesforceStartError(
    `COSELL_SF_LOGIN_URL=${JSON.stringify(loginUrl)}: the JWT bearer token request to ${error.url} failed (${error.reason}). ` +
      "Check that COSELL_SF_LOGIN_URL is the org's login URL, such as https://login.salesforce.com or " +
      'https://mycompany.my.salesforce.com, and that this machine can reach it (DNS, proxy, firewall).',
    { cause: error },
  );
}

/** Names COSELL_SF_INSTANCE_URL when the token response has no `instance_url`. */
export function instanceUrlMissing(loginUrl: string): SalesforceStartError {
  return new SalesforceStartError(
    `The token response from COSELL_SF_LOGIN_URL=${JSON.stringify(loginUrl)} has no instance_url. ` +
      "Set COSELL_SF_INSTANCE_URL to the org's URL, such as https://mycompany.my.salesforce.com.",
  );
}

/** The instance URL of the start's calls and the two settings it came from. */
export interface InstanceUrlSource {
  /** The URL the calls went to. */
  instanceUrl: string;
  /** The `instance_url` of the token response; "" when it had none. */
  fromToken: string;
  /** COSELL_SF_INSTANCE_URL, or null when unset. */
  configured: string | null;
  timeoutMs: number;
}

/**
 * Names the instance URL, and COSELL_SF_INSTANCE_URL when it overrides the token
 * response's, when a call of the start failed on it. `step` names that call in
 * a sentence, such as "describing the objects".
 */
export function instanceUrlFailure(
  source: InstanceUrlSource,
  step: string,
  error: StoreUnavailableError,
): SalesforceStartError {
  const failure = error.cause;
  const unreachable =
    failure instanceof SalesforceCallError &&
    (failure.kind === 'uncertain' || failure.kind === 'transient');
  const problem = unreachable
    ? `cannot be reached: ${step} failed (${describeNetworkFailure(failure.cause, source.timeoutMs)})`
    : `cannot be used: ${error.message}`;
  const reach = unreachable
    ? 'that this machine can reach it (DNS, proxy, firewall) and '
    : '';
  if (source.configured !== null) {
    return new SalesforceStartError(
      `COSELL_SF_INSTANCE_URL=${JSON.stringify(source.configured)}, which overrides the instance URL ` +
        `${JSON.stringify(source.fromToken)} of the token response, ${problem}. ` +
        `Check ${reach}that it is the org's URL, such as https://mycompany.my.salesforce.com, ` +
        'or unset it to use the instance URL of the token response.',
      { cause: error },
    );
  }
  return new SalesforceStartError(
    `The instance URL ${source.instanceUrl} that the token response from COSELL_SF_LOGIN_URL named ${problem}. ` +
      `Check ${reach}that COSELL_SF_LOGIN_URL is the login URL of the intended org, ` +
      'or set COSELL_SF_INSTANCE_URL to the URL this machine reaches the org at, such as https://mycompany.my.salesforce.com.',
    { cause: error },
  );
}

/** The permission set that lets the integration user change `Cosell_Stage__c`. */
export const INTEGRATION_PERMISSION_SET = 'Cosell_Integration';

/**
 * Returns the start failure for an integration user that is missing or
 * inactive, or null when it is neither. `username` is COSELL_SF_USERNAME.
 */
export function integrationUserFailure(
  username: string,
  user: OrgUser | null,
): SalesforceStartError | null {
  const setting = `COSELL_SF_USERNAME=${JSON.stringify(username)}`;
  if (user === null) {
    return new SalesforceStartError(
      `The org returned no User record for ${setting}, although it issued a token for that username. ` +
        "Check that COSELL_SF_USERNAME is the integration user's username, then start again.",
    );
  }
  if (user.isActive) return null;
  return new SalesforceStartError(
    `${setting} is an inactive user. Activate the user in Setup, Users, then start again.`,
  );
}

/**
 * Returns the start's warning for an integration user without a direct
 * assignment of `Cosell_Integration`, or null when it has one. It is a warning,
 * not a failure, because a permission set group that contains the set grants it
 * too, and its assignment names the group rather than the set.
 */
export function integrationPermissionWarning(
  username: string,
  user: OrgUser,
): string | null {
  if (user.permissionSets.includes(INTEGRATION_PERMISSION_SET)) return null;
  return (
    `COSELL_SF_USERNAME=${JSON.stringify(username)} has no direct assignment of the ` +
    `${INTEGRATION_PERMISSION_SET} permission set, whose custom permission of the same name ` +
    'the Cosell_Stage_Change_Guard validation rule requires for every stage move. ' +
    'Unless a permission set group grants it, every move will fail: assign it in Setup, Users, or with ' +
    `\`sf org assign permset --name ${INTEGRATION_PERMISSION_SET} --on-behalf-of ${username} --target-org <org alias>\`.`
  );
}
