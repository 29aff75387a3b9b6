import { createPrivateKey, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Logger } from 'pino';
import { describeNetworkFailure } from './network-failure.js';
import type { TokenSource } from './salesforce-api.js';

export const JWT_BEARER_GRANT_TYPE =
  'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** Salesforce rejects assertions that expire more than three minutes ahead. */
const ASSERTION_LIFETIME_SECONDS = 180;

export interface JwtBearerOptions {
  /** Base URL of the token request, which goes to `<loginUrl>/services/oauth2/token`. */
  loginUrl: string;
  /** The `aud` claim, such as `https://login.salesforce.com`. */
  audience: string;
  /** The connected app's consumer key, the `iss` claim. */
  clientId: string;
  /** The integration user's username, the `sub` claim. */
  username: string;
  /** PKCS#8 or PKCS#1 PEM of the key whose certificate the connected app holds. */
  privateKeyPem: string;
  timeoutMs: number;
  logger: Logger;
  now?: () => Date;
}

/** A token request that Salesforce rejected with an OAuth error. */
export class TokenRequestError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status: number,
  ) {
    super(`${error}: ${description}`);
    this.name = 'TokenRequestError';
  }
}

/** A token request that got no complete HTTP response: refused, timed out, DNS or TLS. */
export class TokenEndpointUnreachableError extends Error {
  constructor(
    readonly url: string,
    /** The error code and its meaning, such as "ECONNREFUSED: the connection was refused, …". */
    readonly reason: string,
    options: { cause: unknown },
  ) {
    super(`The token request to ${url} failed (${reason})`, options);
    this.name = 'TokenEndpointUnreachableError';
  }
}

/**
 * The OAuth 2.0 JWT bearer flow: an RS256 assertion signed with the connected
 * app's key (jsforce 3 cannot sign one), exchanged at the login URL for an access
 * token. The login URL may be a My Domain, while the audience stays the login host
 * Salesforce expects.
 */
export class JwtBearerTokenSource implements TokenSource {
  private readonly key: KeyObject;
  private readonly now: () => Date;

  constructor(private readonly options: JwtBearerOptions) {
    try {
      this.key = createPrivateKey(options.privateKeyPem);
    } catch (error) {
      throw new Error(
        `The private key for the JWT bearer flow cannot be read (${(error as Error).message}); give an unencrypted RSA key in PEM form`,
        { cause: error },
      );
    }
    this.now = options.now ?? (() => new Date());
  }

  /** Signs a fresh assertion and exchanges it for an access token. */
  async requestToken(): Promise<{ accessToken: string; instanceUrl: string }> {
    const assertion = await this.signAssertion();
    const url = `${this.options.loginUrl}/services/oauth2/token`;
    const { response, text } = await this.post(url, assertion);
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // A non-JSON response is reported with its status below.
    }
    if (!response.ok || typeof body.access_token !== 'string') {
      const failure = new TokenRequestError(
        typeof body.error === 'string' ? body.error : `http_${response.status}`,
        typeof body.error_description === 'string'
          ? body.error_description
          : `unexpected response from ${url}`,
        response.status,
      );
      this.options.logger.error(
        {
          loginUrl: this.options.loginUrl,
          audience: this.options.audience,
          username: this.options.username,
          error: failure.error,
          description: failure.description,
        },
        'Salesforce JWT bearer token request failed',
      );
      throw failure;
    }
    const instanceUrl =
      typeof body.instance_url === 'string' ? body.instance_url : '';
    this.options.logger.info(
      { loginUrl: this.options.loginUrl, instanceUrl },
      'Salesforce access token issued',
    );
    return { accessToken: body.access_token, instanceUrl };
  }

  /** Sends the assertion; raises `TokenEndpointUnreachableError` when no response arrives. */
  private async post(
    url: string,
    assertion: string,
  ): Promise<{ response: Response; text: string }> {
    try {
      // One time limit covers the whole exchange, body included.
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
        },
        body: new URLSearchParams({
          grant_type: JWT_BEARER_GRANT_TYPE,
          assertion,
        }).toString(),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      return { response, text: await response.text() };
    } catch (error) {
      const reason = describeNetworkFailure(error, this.options.timeoutMs);
      this.options.logger.error(
        { loginUrl: this.options.loginUrl, reason },
        'Salesforce JWT bearer token request got no response',
      );
      throw new TokenEndpointUnreachableError(url, reason, { cause: error });
    }
  }

  private signAssertion(): Promise<string> {
    const nowSeconds = Math.floor(this.now().getTime() / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer(this.options.clientId)
      .setSubject(this.options.username)
      .setAudience(this.options.audience)
      .setExpirationTime(nowSeconds + ASSERTION_LIFETIME_SECONDS)
      .sign(this.key);
  }
}

/** Returns what to check for the OAuth error of a rejected token request. */
export function tokenErrorHint(error: TokenRequestError): string {
  switch (error.error) {
    case 'invalid_client_id':
      return 'check COSELL_SF_CLIENT_ID: it must be the consumer key of the connected app';
    case 'invalid_grant':
      return (
        'check COSELL_SF_USERNAME, that the user is pre-authorized for the connected app, ' +
        'COSELL_SF_AUDIENCE (https://login.salesforce.com or https://test.salesforce.com) ' +
        "and that the connected app holds the private key's certificate"
      );
    default:
      return 'check COSELL_SF_LOGIN_URL and the connected app settings';
  }
}
