import { SalesforceApiError, type ApiResponse } from './api-error.js';
import { JWT_BEARER_GRANT, OAuthError } from './auth.js';
import type { RecordedRequest } from './request-log.js';
import type { StandInState } from './state.js';

/** The headers of a request to an OAuth endpoint. */
export interface OAuthRequest {
  headers: Record<string, string | undefined>;
}

/** Serves `POST /services/oauth2/token`, which supports the JWT bearer grant only. */
export async function tokenResponse(
  state: StandInState,
  rawBody: Buffer,
): Promise<ApiResponse> {
  const form = new URLSearchParams(rawBody.toString());
  if (form.get('grant_type') !== JWT_BEARER_GRANT) {
    return {
      status: 400,
      body: {
        error: 'unsupported_grant_type',
        error_description: 'grant type not supported',
      },
    };
  }
  try {
    return {
      status: 200,
      body: await state.auth.exchangeJwt(form.get('assertion') ?? ''),
    };
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    state.logger.warn(
      { error: error.error, description: error.description },
      'stand-in JWT grant rejected',
    );
    return {
      status: 400,
      body: { error: error.error, error_description: error.description },
    };
  }
}

/**
 * Returns the identity of the token's user, which the token response's `id` URL
 * names. NOTE: the stand-in serves only the caller's own identity.
 */
export function identityResponse(
  state: StandInState,
  entry: RecordedRequest,
  incoming: OAuthRequest,
  userId: string,
): ApiResponse {
  const token = /^(Bearer|OAuth)\s+(.+)$/i.exec(
    incoming.headers.authorization ?? '',
  )?.[2];
  const user = token ? state.auth.userForToken(token) : undefined;
  if (!user) {
    throw new SalesforceApiError(
      401,
      'INVALID_SESSION_ID',
      'Session expired or invalid',
    );
  }
  entry.username = user.username;
  if (user.id !== userId) {
    throw new SalesforceApiError(
      403,
      'INSUFFICIENT_ACCESS',
      "You can only read the identity of the token's own user",
    );
  }
  return {
    status: 200,
    body: {
      id: `${state.auth.instanceUrl()}/id/${state.orgId}/${user.id}`,
      asserted_user: true,
      user_id: user.id,
      organization_id: state.orgId,
      username: user.username,
      nick_name: user.username.split('@')[0],
      display_name: user.name,
      active: true,
      user_type: 'STANDARD',
    },
  };
}
