import path from 'node:path';
import { generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import jsforce from 'jsforce';
import { readForceAppSchema } from '../../middleware/src/org/force-app/index.js';
import type { OrgSchema } from '../../middleware/src/domain/schema.js';
import {
  startSalesforceStandIn,
  type StandIn,
  type StandInOptions,
} from '../salesforce-stand-in/index.js';

export const API_VERSION = '62.0';
export const INTEGRATION_USER = 'integration@stand-in.example';
export const SELLER_USER = 'seller@stand-in.example';

let schemaPromise: Promise<OrgSchema> | undefined;

/** Reads the package's schema from the repository's force-app folder, once. */
export function packageSchema(): Promise<OrgSchema> {
  schemaPromise ??= readForceAppSchema(path.resolve('force-app'));
  return schemaPromise;
}

export async function startStandIn(
  options: Partial<StandInOptions> = {},
): Promise<StandIn> {
  return startSalesforceStandIn({ schema: await packageSchema(), ...options });
}

/** A jsforce connection to the stand-in as `username`, with version 62.0. */
export function connect(standIn: StandIn, username = INTEGRATION_USER) {
  return new jsforce.Connection({
    instanceUrl: standIn.instanceUrl,
    accessToken: standIn.issueToken(username),
    version: API_VERSION,
  });
}

/** Generates an RS256 key pair: the connected app's public key and the client's private key. */
export function rsaKeyPair(): Promise<{
  publicKey: CryptoKey;
  privateKey: CryptoKey;
}> {
  return generateKeyPair('RS256');
}

/** Signs a JWT bearer assertion; each claim can be overridden to test a failure. */
export function signAssertion(
  privateKey: CryptoKey,
  claims: { iss: string; sub: string; aud?: string; exp?: number },
): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer(claims.iss)
    .setSubject(claims.sub)
    .setAudience(claims.aud ?? 'https://login.salesforce.com')
    .setExpirationTime(claims.exp ?? Math.floor(Date.now() / 1000) + 180)
    .sign(privateKey);
}

/** Inserts an Account and an Opportunity at stage `Validating`, version 3. */
export function seedDeal(standIn: StandIn, name = 'Acme expansion') {
  const accountId = standIn.records.insert('Account', {
    Name: `${name} account`,
  });
  const dealId = standIn.records.insert('Opportunity', {
    Name: name,
    AccountId: accountId,
    StageName: 'Qualification',
    CloseDate: '2025-06-30',
    Amount: 125000,
    Cosell_Stage__c: 'Validating',
    Cosell_Stage_Version__c: 3,
  });
  return { accountId, dealId };
}
