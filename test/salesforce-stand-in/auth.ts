import { createHmac, randomBytes } from 'node:crypto';
import {
  compactVerify,
  importSPKI,
  importX509,
  type CryptoKey,
  type JWK,
  type KeyObject,
} from 'jose';
import type { StandInUser } from './users.js';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** Audiences Salesforce accepts by default: production and sandbox login. */
export const DEFAULT_AUDIENCES = [
  'https://login.salesforce.com',
  'https://test.salesforce.com',
];

/** A PEM public key or certificate, or a key object `jose` accepts. */
export type JwtPublicKey = string | CryptoKey | KeyObject | JWK | Uint8Array;

/** A failed token request: HTTP 400 with `{ error, error_description }`. */
export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
  ) {
    super(`${error}: ${description}`);
    this.name = 'OAuthError';
  }
}

export interface TokenResponse {
  access_token: string;
  scope: string;
  instance_url: string;
  id: string;
  token_type: 'Bearer';
  issued_at: string;
  signature: string;
}

export interface AuthOptions {
  users: StandInUser[];
  clientId: string;
  publicKey?: JwtPublicKey;
  audiences: string[];
  orgId: string;
  instanceUrl: () => string;
  now: () => Date;
}

/**
 * Access tokens and the JWT bearer grant. Tokens look like Salesforce session Ids
 * (`<org id>!<random>`) and stay valid until revoked.
 */
export class AuthService {
  private readonly tokens = new Map<string, StandInUser>();
  private readonly signingSecret = randomBytes(32);
  private key: CryptoKey | KeyObject | JWK | Uint8Array | undefined;

  constructor(private readonly options: AuthOptions) {}

  instanceUrl(): string {
    return this.options.instanceUrl();
  }

  userByName(username: string): StandInUser | undefined {
    const wanted = username.toLowerCase();
    return this.options.users.find((u) => u.username.toLowerCase() === wanted);
  }

  issueToken(username: string): string {
    const user = this.userByName(username);
    if (!user) {
      const known = this.options.users.map((u) => u.username).join(', ');
      throw new Error(
        `No stand-in user is named ${username}; configure it in users (known: ${known})`,
      );
    }
    const token = `${this.options.orgId.slice(0, 15)}!${randomBytes(36).toString('base64url')}`;
    this.tokens.set(token, user);
    return token;
  }

  userForToken(token: string): StandInUser | undefined {
    return this.tokens.get(token);
  }

  revoke(token: string): boolean {
    return this.tokens.delete(token);
  }

  revokeAll(): void {
    this.tokens.clear();
  }

  /**
   * Checks a JWT bearer assertion as Salesforce does: an RS256 signature by the
   * connected app's certificate, `iss` the client id, `aud` a login audience,
   * `exp` in the future and `sub` an approved user. Returns the token response.
   */
  async exchangeJwt(assertion: string): Promise<TokenResponse> {
    const key = await this.verificationKey();
    let payload: Record<string, unknown>;
    try {
      const verified = await compactVerify(assertion, key, {
        algorithms: ['RS256'],
      });
      payload = JSON.parse(new TextDecoder().decode(verified.payload));
    } catch {
      throw new OAuthError('invalid_grant', 'invalid assertion');
    }
    if (payload.iss !== this.options.clientId) {
      throw new OAuthError('invalid_client_id', 'client identifier invalid');
    }
    const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (
      !audiences.some((aud) => this.options.audiences.includes(String(aud)))
    ) {
      throw new OAuthError('invalid_grant', 'audience is invalid');
    }
    const nowSeconds = this.options.now().getTime() / 1000;
    if (typeof payload.exp !== 'number' || payload.exp <= nowSeconds) {
      throw new OAuthError('invalid_grant', 'expired authorization code');
    }
    const user =
      typeof payload.sub === 'string'
        ? this.userByName(payload.sub)
        : undefined;
    // NOTE: Salesforce's answer for an unknown username is assumed to be the same as for an unapproved one.
    if (!user || !user.approved) {
      throw new OAuthError(
        'invalid_grant',
        "user hasn't approved this consumer",
      );
    }
    return this.tokenResponse(user.username, user.id);
  }

  private tokenResponse(username: string, userId: string): TokenResponse {
    const instanceUrl = this.options.instanceUrl();
    const id = `${instanceUrl}/id/${this.options.orgId}/${userId}`;
    const issuedAt = String(this.options.now().getTime());
    const signature = createHmac('sha256', this.signingSecret)
      .update(id + issuedAt)
      .digest('base64');
    return {
      access_token: this.issueToken(username),
      scope: 'api',
      instance_url: instanceUrl,
      id,
      token_type: 'Bearer',
      issued_at: issuedAt,
      signature,
    };
  }

  private async verificationKey(): Promise<
    CryptoKey | KeyObject | JWK | Uint8Array
  > {
    if (this.key) return this.key;
    const configured = this.options.publicKey;
    if (configured === undefined) {
      throw new OAuthError(
        'invalid_grant',
        'invalid assertion (the stand-in was started without jwtPublicKey, so it cannot check signatures)',
      );
    }
    if (typeof configured !== 'string') {
      this.key = configured;
    } else if (configured.includes('BEGIN CERTIFICATE')) {
      this.key = await importX509(configured, 'RS256');
    } else {
      this.key = await importSPKI(configured, 'RS256');
    }
    return this.key;
  }
}
