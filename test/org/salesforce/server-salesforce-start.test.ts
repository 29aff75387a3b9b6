import { createPrivateKey } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { failedStart, SERVER } from '../../helpers/failed-start.js';
import { createTestLogger } from '../../helpers/log-lines.js';
import {
  loadSalesforceConfig,
  openSalesforceGateway,
} from '../../../middleware/src/org/salesforce/index.js';
import {
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
} from '@jest/globals';
import {
  DEFAULT_USERS,
  startSalesforceStandIn,
  type StandIn,
  type StandInUserConfig,
} from '../../salesforce-stand-in/index.js';
import {
  CLIENT_ID,
  INTEGRATION_USER,
  PACKAGE_DIR,
  packageSchema,
  rsaPem,
  seedStageModels,
} from './salesforce-fixture.js';

const API_TOKEN = 'salesforce-start-token-0123456789abcdef0123456789';
const CONFIG_FOOTER =
  'Fix the environment variables above and start again (the README lists them all).\n';

let dir: string;
let keyFile: string;
const servers: Array<{ close(callback: () => void): unknown }> = [];

beforeAll(() => {
  if (!existsSync(SERVER))
    throw new Error(`Run npm run build first: ${SERVER} is missing`);
});

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cosell-sf-start-'));
  keyFile = path.join(dir, 'integration.key');
  writeFileSync(keyFile, rsaPem().privateKey, { mode: 0o600 });
});

afterEach(async () => {
  for (const server of servers.splice(0)) {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  rmSync(dir, { recursive: true, force: true });
});

/** Returns a loopback URL whose port nothing listens on. */
async function closedUrl(): Promise<string> {
  const probe = createTcpServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return `http://127.0.0.1:${port}`;
}

/** Starts a TCP server that accepts connections and never responds. */
async function silentUrl(): Promise<string> {
  // Reading the socket lets it end when the middleware exits, so close() returns.
  const server = createTcpServer((socket) => socket.resume());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * Starts a token endpoint that issues a token naming `instanceUrl`, and returns
 * its URL and the paths it was sent.
 */
async function tokenEndpoint(
  instanceUrl: string | undefined,
): Promise<{ url: string; paths: string[] }> {
  const paths: string[] = [];
  const server: Server = createServer((request, response) => {
    paths.push(request.url ?? '');
    request.resume();
    request.on('end', () => {
      response.setHeader('content-type', 'application/json');
      response.end(
        JSON.stringify({
          access_token: '00D000000000001!stand-in-token',
          token_type: 'Bearer',
          ...(instanceUrl === undefined ? {} : { instance_url: instanceUrl }),
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, paths };
}

/** Builds a Salesforce-mode environment without the process's own COSELL_ variables. */
function salesforceEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'],
    PORT: '0',
    COSELL_STORE: 'salesforce',
    COSELL_API_TOKEN: API_TOKEN,
    COSELL_LOG_LEVEL: 'silent',
    COSELL_EXPIRY_SWEEP_SECONDS: '0',
    COSELL_SF_CLIENT_ID: CLIENT_ID,
    COSELL_SF_USERNAME: INTEGRATION_USER,
    COSELL_SF_PRIVATE_KEY_FILE: keyFile,
    COSELL_SF_MAX_RETRIES: '0',
    COSELL_SF_TIMEOUT_MS: '5000',
    ...extra,
  };
}

/** Returns a PKCS#8 PEM with a valid header whose body is cut short. */
function cutShortPem(): string {
  const lines = rsaPem().privateKey.trim().split('\n');
  return [...lines.slice(0, 4), lines[lines.length - 1]].join('\n') + '\n';
}

/** Returns the OpenSSL reason the server prints for `pem`, from this Node.js. */
function decodeReason(pem: string): string {
  try {
    createPrivateKey(pem);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the cut-short key was decoded');
}

const LOGIN_URL_HINT =
  "Check that COSELL_SF_LOGIN_URL is the org's login URL, such as https://login.salesforce.com or " +
  'https://mycompany.my.salesforce.com, and that this machine can reach it (DNS, proxy, firewall).\n';

describe('Salesforce-mode start on an unreachable login URL', () => {
  it('names a refused connection', async () => {
    const loginUrl = await closedUrl();

    const { code, stderr } = await failedStart(
      salesforceEnv({ COSELL_SF_LOGIN_URL: loginUrl }),
    );

    expect(code).toBe(2);
    expect(stderr).toBe(
      `COSELL_SF_LOGIN_URL=${JSON.stringify(loginUrl)}: the JWT bearer token request to ` +
        `${loginUrl}/services/oauth2/token failed (ECONNREFUSED: the connection was refused, ` +
        `so nothing listens on that port). ${LOGIN_URL_HINT}`,
    );
    expect(stderr).not.toMatch(/^\s+at /m);
  }, 60_000);

  it('names a port that fetch blocks', async () => {
    const { code, stderr } = await failedStart(
      salesforceEnv({ COSELL_SF_LOGIN_URL: 'http://127.0.0.1:9' }),
    );

    expect(code).toBe(2);
    expect(stderr).toBe(
      'COSELL_SF_LOGIN_URL="http://127.0.0.1:9": the JWT bearer token request to ' +
        'http://127.0.0.1:9/services/oauth2/token failed (bad port: fetch rejects this port, ' +
        `which the Fetch standard blocks as unsafe). ${LOGIN_URL_HINT}`,
    );
  }, 60_000);

  it('names a timeout', async () => {
    const loginUrl = await silentUrl();

    const { code, stderr } = await failedStart(
      salesforceEnv({
        COSELL_SF_LOGIN_URL: loginUrl,
        COSELL_SF_TIMEOUT_MS: '300',
      }),
    );

    expect(code).toBe(2);
    expect(stderr).toBe(
      `COSELL_SF_LOGIN_URL=${JSON.stringify(loginUrl)}: the JWT bearer token request to ` +
        `${loginUrl}/services/oauth2/token failed (timed out after 300 ms, the ` +
        `COSELL_SF_TIMEOUT_MS limit). ${LOGIN_URL_HINT}`,
    );
  }, 60_000);
});

describe('Salesforce-mode start on an unreachable instance URL', () => {
  it('names the instance URL of the token response', async () => {
    const instanceUrl = await closedUrl();
    const login = await tokenEndpoint(instanceUrl);

    const { code, stderr } = await failedStart(
      salesforceEnv({ COSELL_SF_LOGIN_URL: login.url }),
    );

    expect(code).toBe(2);
    expect(stderr).toBe(
      `The instance URL ${instanceUrl} that the token response from COSELL_SF_LOGIN_URL named ` +
        'cannot be reached: describing the objects failed (ECONNREFUSED: the connection was ' +
        'refused, so nothing listens on that port). Check that this machine can reach it ' +
        '(DNS, proxy, firewall) and that COSELL_SF_LOGIN_URL is the login URL of the intended ' +
        'org, or set COSELL_SF_INSTANCE_URL to the URL this machine reaches the org at, such as ' +
        'https://mycompany.my.salesforce.com.\n',
    );
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(login.paths).toEqual(['/services/oauth2/token']);
  }, 60_000);

  it('names COSELL_SF_INSTANCE_URL when it overrides', async () => {
    const fromToken = await closedUrl();
    const configured = await closedUrl();
    const login = await tokenEndpoint(fromToken);

    const { code, stderr } = await failedStart(
      salesforceEnv({
        COSELL_SF_LOGIN_URL: login.url,
        COSELL_SF_INSTANCE_URL: configured,
      }),
    );

    expect(code).toBe(2);
    expect(stderr).toBe(
      `COSELL_SF_INSTANCE_URL=${JSON.stringify(configured)}, which overrides the instance URL ` +
        `${JSON.stringify(fromToken)} of the token response, cannot be reached: describing the ` +
        'objects failed (ECONNREFUSED: the connection was refused, so nothing listens on that ' +
        'port). Check that this machine can reach it (DNS, proxy, firewall) and that it is the ' +
        "org's URL, such as https://mycompany.my.salesforce.com, or unset it to use the " +
        'instance URL of the token response.\n',
    );
  }, 60_000);

  it('asks for COSELL_SF_INSTANCE_URL when the response has none', async () => {
    const login = await tokenEndpoint(undefined);

    const { code, stderr } = await failedStart(
      salesforceEnv({ COSELL_SF_LOGIN_URL: login.url }),
    );

    expect(code).toBe(2);
    expect(stderr).toBe(
      `The token response from COSELL_SF_LOGIN_URL=${JSON.stringify(login.url)} has no ` +
        "instance_url. Set COSELL_SF_INSTANCE_URL to the org's URL, such as " +
        'https://mycompany.my.salesforce.com.\n',
    );
  }, 60_000);
});

describe('Salesforce-mode start with a damaged private key', () => {
  const damage = (pem: string) =>
    `the PEM block has a private key header, but its body cannot be decoded (${decodeReason(pem)}); ` +
    'the key was probably cut short or changed when it was copied, so copy the whole key again from its source';

  it('names COSELL_SF_PRIVATE_KEY_FILE before any call', async () => {
    const login = await tokenEndpoint(await closedUrl());
    const pem = cutShortPem();
    writeFileSync(keyFile, pem, { mode: 0o600 });

    const { code, stderr } = await failedStart(
      salesforceEnv({ COSELL_SF_LOGIN_URL: login.url }),
    );

    expect(code).toBe(2);
    expect(stderr).toBe(
      'Invalid configuration:\n' +
        `- COSELL_SF_PRIVATE_KEY_FILE=${JSON.stringify(keyFile)}: ${damage(pem)}\n` +
        CONFIG_FOOTER,
    );
    expect(login.paths).toEqual([]);
  }, 60_000);

  it('names COSELL_SF_PRIVATE_KEY without showing it', async () => {
    const login = await tokenEndpoint(await closedUrl());
    const pem = cutShortPem();
    const env = salesforceEnv({
      COSELL_SF_LOGIN_URL: login.url,
      COSELL_SF_PRIVATE_KEY: pem,
    });
    delete env['COSELL_SF_PRIVATE_KEY_FILE'];

    const { code, stderr } = await failedStart(env);

    expect(code).toBe(2);
    expect(stderr).toBe(
      'Invalid configuration:\n' +
        `- COSELL_SF_PRIVATE_KEY=(hidden): ${damage(pem)}\n` +
        CONFIG_FOOTER,
    );
    expect(stderr).not.toContain(pem.split('\n')[1]);
    expect(login.paths).toEqual([]);
  }, 60_000);
});

describe('Salesforce-mode start with an integration user that cannot move stages', () => {
  let standIn: StandIn | undefined;

  afterEach(async () => {
    await standIn?.close();
    standIn = undefined;
  });

  /**
   * Starts the stand-in with the package's stage models, `integrationUser` in
   * place of the default integration user, and the default seller.
   */
  async function startOrg(
    integrationUser: Omit<StandInUserConfig, 'username'>,
  ): Promise<StandIn> {
    const started = await startSalesforceStandIn({
      schema: await packageSchema(),
      clientId: CLIENT_ID,
      jwtPublicKey: rsaPem().publicKey,
      users: [
        {
          username: INTEGRATION_USER,
          name: 'Integration User',
          ...integrationUser,
        },
        DEFAULT_USERS[1]!,
      ],
    });
    await seedStageModels(started, PACKAGE_DIR);
    return started;
  }

  const missingPermissionSet =
    `COSELL_SF_USERNAME="${INTEGRATION_USER}" has no direct assignment of the Cosell_Integration ` +
    'permission set, whose custom permission of the same name the Cosell_Stage_Change_Guard ' +
    'validation rule requires for every stage move. Unless a permission set group grants it, ' +
    'every move will fail: assign it in Setup, Users, or with ' +
    `\`sf org assign permset --name Cosell_Integration --on-behalf-of ${INTEGRATION_USER} --target-org <org alias>\`.`;
  const inactive = `COSELL_SF_USERNAME="${INTEGRATION_USER}" is an inactive user. Activate the user in Setup, Users, then start again.`;

  it('warns of a missing Cosell_Integration assignment', async () => {
    standIn = await startOrg({ permissionSets: ['Cosell_Seller'] });
    const lines: Array<Record<string, unknown>> = [];

    const gateway = await openSalesforceGateway(
      loadSalesforceConfig(
        salesforceEnv({ COSELL_SF_LOGIN_URL: standIn.loginUrl }),
      ),
      createTestLogger(lines),
    );
    await gateway.close();

    const warnings = lines.filter((line) => line['level'] === 40);
    expect(warnings.map((line) => line['msg'])).toEqual([missingPermissionSet]);
    const userQueries = standIn.requests.filter(
      (request) =>
        request.resource === 'query' &&
        /FROM User WHERE Username = /.test(request.query['q'] ?? ''),
    );
    expect(userQueries).toHaveLength(1);
  }, 60_000);

  it('names an inactive integration user', async () => {
    standIn = await startOrg({
      isActive: false,
      permissionSets: ['Cosell_Integration'],
    });

    const { code, stderr } = await failedStart(
      salesforceEnv({ COSELL_SF_LOGIN_URL: standIn.loginUrl }),
    );

    expect(code).toBe(2);
    expect(stderr).toBe(`${inactive}\n`);
    expect(stderr).not.toMatch(/^\s+at /m);
  }, 60_000);

  it('names a User record the org does not return', async () => {
    standIn = await startOrg({ permissionSets: ['Cosell_Integration'] });
    // The stand-in issues tokens from its user list, so the token request still
    // succeeds after the User record is gone.
    standIn.records.delete('User', standIn.users[0]!.id);

    const { code, stderr } = await failedStart(
      salesforceEnv({ COSELL_SF_LOGIN_URL: standIn.loginUrl }),
    );

    expect(code).toBe(2);
    expect(stderr).toBe(
      `The org returned no User record for COSELL_SF_USERNAME="${INTEGRATION_USER}", although it ` +
        "issued a token for that username. Check that COSELL_SF_USERNAME is the integration user's " +
        'username, then start again.\n',
    );
  }, 60_000);

  it('names a timed-out user query', async () => {
    standIn = await startOrg({ permissionSets: ['Cosell_Integration'] });
    standIn.faults.next({
      kind: 'slow',
      delayMs: 1_500,
      match: { method: 'GET', path: '/query' },
    });

    const { code, stderr } = await failedStart(
      salesforceEnv({
        COSELL_SF_LOGIN_URL: standIn.loginUrl,
        COSELL_SF_TIMEOUT_MS: '500',
      }),
    );

    expect(code).toBe(2);
    expect(stderr).toBe(
      `The instance URL ${standIn.instanceUrl} that the token response from COSELL_SF_LOGIN_URL named ` +
        'cannot be reached: reading the integration user failed (timed out after 500 ms, the ' +
        'COSELL_SF_TIMEOUT_MS limit). Check that this machine can reach it (DNS, proxy, firewall) ' +
        'and that COSELL_SF_LOGIN_URL is the login URL of the intended org, or set ' +
        'COSELL_SF_INSTANCE_URL to the URL this machine reaches the org at, such as ' +
        'https://mycompany.my.salesforce.com.\n',
    );
  }, 60_000);
});
