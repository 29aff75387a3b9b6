import { logLineStream } from '../../helpers/log-lines.js';
import {
  afterAll,
  afterEach,
  beforeAll,
  describe,
  expect,
  it,
} from '@jest/globals';
import { ConfigError } from '../../../middleware/src/config.js';
import { createLogger } from '../../../middleware/src/logger.js';
import {
  startServer,
  type RunningServer,
} from '../../../middleware/src/server.js';
import {
  seedPeople,
  seedReadyDeal,
  type People,
} from '../../../scripts/bench/salesforce-bench-org.js';
import {
  startSalesforceStandIn,
  type StandIn,
} from '../../salesforce-stand-in/index.js';
import {
  CLIENT_ID,
  INTEGRATION_USER,
  PACKAGE_DIR,
  packageSchema,
  rsaPem,
  seedDeal,
  seedStageModels,
} from './salesforce-fixture.js';

const API_TOKEN = 'salesforce-mode-token-0123456789abcdef0123456789';

describe('middleware on COSELL_STORE=salesforce', () => {
  let standIn: StandIn;
  let running: RunningServer;
  let dealId: string;
  let sellerId: string;
  const logLines: string[] = [];

  beforeAll(async () => {
    const keys = rsaPem();
    standIn = await startSalesforceStandIn({
      schema: await packageSchema(),
      clientId: CLIENT_ID,
      jwtPublicKey: keys.publicKey,
    });
    await seedStageModels(standIn, PACKAGE_DIR);
    sellerId = standIn.users[1]!.id;
    ({ dealId } = seedDeal(standIn, { Vendor_Owner__c: sellerId }));
    const logStream = logLineStream((line) => logLines.push(line));
    running = await startServer(
      {
        PORT: '0',
        COSELL_STORE: 'salesforce',
        COSELL_API_TOKEN: API_TOKEN,
        COSELL_EXPIRY_SWEEP_SECONDS: '0',
        COSELL_SF_LOGIN_URL: standIn.loginUrl,
        COSELL_SF_CLIENT_ID: CLIENT_ID,
        COSELL_SF_USERNAME: INTEGRATION_USER,
        COSELL_SF_PRIVATE_KEY: keys.privateKey,
        COSELL_SF_API_VERSION: '62.0',
      },
      createLogger('info', logStream),
    );
  });

  afterAll(async () => {
    await running?.close();
    await standIn?.close();
  });

  function get(path: string) {
    return fetch(`${running.url}${path}`, {
      headers: {
        authorization: `Bearer ${API_TOKEN}`,
        'x-cosell-acting-user': sellerId,
      },
    });
  }

  it('logs the pinned API version and no token', () => {
    const started = logLines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((entry) => entry.apiVersion !== undefined);
    expect(started).toMatchObject({
      apiVersion: '62.0',
      instanceUrl: standIn.instanceUrl,
      username: INTEGRATION_USER,
    });
    const everything = logLines.join('\n');
    expect(everything).not.toMatch(/00D\w{12}!/);
    expect(everything).not.toContain('PRIVATE KEY');
  });

  it('logs a curl line for the org', () => {
    const listening = logLines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((entry) => entry.try !== undefined);
    const tryLine = String(listening?.try);

    expect(tryLine).toContain('Bearer $COSELL_API_TOKEN');
    expect(tryLine).toContain('Setup, Users');
    expect(tryLine).not.toContain('demo user');
    expect(tryLine).not.toContain('<your token file>');
  });

  it('serves the stage models of the org', async () => {
    const response = await get('/v1/stage-models');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { models: { name?: string }[] };
    expect(body.models).toHaveLength(2);
  });

  it('evaluates a deal with one API call', async () => {
    standIn.resetLog();
    const response = await get(`/v1/deals/${dealId}/evaluation`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { dealId: string };
    expect(body.dealId).toBe(dealId);
    expect(standIn.requests.filter((r) => r.apiCall)).toHaveLength(1);
  });

  it('returns 502 for a malformed org response', async () => {
    standIn.faults.next({
      kind: 'malformed',
      match: { method: 'POST', path: '/composite' },
    });
    const linesBefore = logLines.length;
    const response = await get(`/v1/deals/${dealId}/evaluation`);
    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toMatch(
      /^application\/problem\+json/,
    );
    const body = (await response.json()) as Record<string, string>;
    expect(body.code).toBe('org_response_invalid');
    expect(body.title).toBe('Bad Gateway');
    expect(body.detail).toMatch(
      /^read deal context: .*the composite response is not JSON/,
    );
    expect(body.detail).not.toContain('Bad Gateway');
    expect(body.fix).toContain('COSELL_SF_INSTANCE_URL');
    const errorLines = logLines
      .slice(linesBefore)
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => (entry.level as number) >= 40);
    expect(errorLines).toHaveLength(1);
    expect(JSON.stringify(errorLines[0])).toContain(dealId);
    expect(JSON.stringify(errorLines[0])).not.toContain(API_TOKEN);
  });

  it('names the pending request by stage labels', async () => {
    const post = () =>
      fetch(`${running.url}/v1/deals/${dealId}/stage-requests`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${API_TOKEN}`,
          'x-cosell-acting-user': sellerId,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          kind: 'Back',
          toStage: 'Jointly_Qualified',
          reason: 'Customer paused',
        }),
      });
    const created = await post();
    expect(created.status).toBe(201);
    const first = (await created.json()) as { id: string };
    const second = await post();
    expect(second.status).toBe(409);
    const body = (await second.json()) as { code: string; detail: string };
    expect(body.code).toBe('request_pending');
    expect(body.detail).toMatch(
      new RegExp(
        `pending request ${first.id} \\(".+" to "Jointly Qualified"\\)\\.$`,
      ),
    );
  });

  describe('with a malformed stage field in the org response', () => {
    let people: People;

    beforeAll(() => {
      people = seedPeople(standIn);
    });

    afterEach(() => standIn.faults.clear());

    async function call(
      method: string,
      path: string,
      user: string,
      body?: unknown,
    ): Promise<{ status: number; body: Record<string, unknown> }> {
      const response = await fetch(`${running.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${API_TOKEN}`,
          'x-cosell-acting-user': user,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return {
        status: response.status,
        body: (await response.json()) as Record<string, unknown>,
      };
    }

    /** Changes the deal in every deal read's response, as a proxy in front of the org could. */
    function rewriteDealReads(change: (deal: Record<string, unknown>) => void) {
      standIn.faults.next({
        kind: 'rewrite',
        times: 100,
        match: (request) =>
          request.subrequest &&
          /\bFROM Opportunity WHERE Id\b/.test(request.query.q ?? ''),
        rewrite: (body) => {
          const page = body as { records: Array<Record<string, unknown>> };
          for (const deal of page.records) change(deal);
          return page;
        },
      });
    }

    /** Lists the log lines of the calls to `path` that finished after line `from`. */
    function linesOf(path: string, from: number) {
      return logLines
        .slice(from)
        .map((line) => JSON.parse(line) as Record<string, any>)
        .filter((line) => line.req?.url === path);
    }

    const cases = [
      {
        name: 'a stage that is a number',
        field: 'Cosell_Stage__c',
        value: 7,
        change: (deal: Record<string, unknown>) => {
          deal.Cosell_Stage__c = 7;
        },
      },
      {
        name: 'a stage left out',
        field: 'Cosell_Stage__c',
        value: undefined,
        malformed: true,
        change: (deal: Record<string, unknown>) => {
          delete deal.Cosell_Stage__c;
        },
      },
      {
        name: 'a version that is not whole',
        field: 'Cosell_Stage_Version__c',
        value: 1.5,
        change: (deal: Record<string, unknown>) => {
          deal.Cosell_Stage_Version__c = 1.5;
        },
      },
      {
        name: 'a version left out',
        field: 'Cosell_Stage_Version__c',
        value: undefined,
        malformed: true,
        change: (deal: Record<string, unknown>) => {
          delete deal.Cosell_Stage_Version__c;
        },
      },
    ];

    it.each(cases)(
      'refuses $name and writes nothing',
      async ({ field, value, change, malformed }) => {
        const dealId = seedReadyDeal(standIn, people);
        const expectProblem = (response: {
          status: number;
          body: Record<string, unknown>;
        }) => {
          if (malformed) {
            // The read checks that every selected field came back.
            expect(response.status).toBe(502);
            expect(response.body.code).toBe('org_response_invalid');
            expect(response.body.detail).toContain(`has no ${field}`);
            return;
          }
          expect(response.status).toBe(500);
          expect(response.body.code).toBe('invalid_stored_value');
          expect(response.body.detail).toContain(`Opportunity ${dealId}`);
          expect(response.body.detail).toContain(field);
          expect(response.body.fix).toContain(field);
          // Partner users see both fields, so the value is not hidden.
          if (value === undefined) {
            expect(response.body).not.toHaveProperty('value');
          } else {
            expect(response.body.value).toBe(value);
            expect(response.body.detail).toContain(String(value));
          }
        };
        const requestsPath = `/v1/deals/${dealId}/stage-requests`;
        const requestsOfDeal = () =>
          standIn.records
            .all('Stage_Request__c')
            .filter((row) => row.Opportunity__c === dealId);

        rewriteDealReads(change);
        expectProblem(
          await call('POST', requestsPath, people.sellerId, {
            kind: 'Advance',
          }),
        );
        expectProblem(
          await call(
            'GET',
            `/v1/deals/${dealId}/evaluation`,
            people.partnerUserId,
          ),
        );
        expect(requestsOfDeal()).toEqual([]);

        standIn.faults.clear();
        const created = await call('POST', requestsPath, people.sellerId, {
          kind: 'Advance',
        });
        expect(created.status).toBe(201);
        rewriteDealReads(change);
        const confirmPath = `/v1/stage-requests/${String(created.body.id)}/confirm`;
        const from = logLines.length;
        expectProblem(
          await call('POST', confirmPath, people.partnerUserId, {}),
        );

        expect(standIn.records.get('Opportunity', dealId)).toMatchObject({
          Cosell_Stage__c: 'Registered',
          Cosell_Stage_Version__c: 1,
        });
        expect(requestsOfDeal()).toMatchObject([{ Status__c: 'Pending' }]);
        expect(
          standIn.records
            .all('Stage_Transition__c')
            .filter((row) => row.Opportunity__c === dealId),
        ).toEqual([]);
        const [line, ...more] = linesOf(confirmPath, from);
        expect(more).toEqual([]);
        expect(line).toMatchObject(
          malformed
            ? {
                level: 50,
                userId: people.partnerUserId,
                problemCode: 'org_response_invalid',
              }
            : {
                level: 50,
                userId: people.partnerUserId,
                problemCode: 'invalid_stored_value',
                err: {
                  source: { object: 'Opportunity', recordId: dealId, field },
                },
              },
        );
      },
    );
  });

  it('names every missing variable at start', async () => {
    const starting = startServer(
      { PORT: '0', COSELL_STORE: 'salesforce' },
      createLogger('silent'),
    );
    await expect(starting).rejects.toBeInstanceOf(ConfigError);
    const error = (await starting.catch((e: unknown) => e)) as ConfigError;
    expect(error.problems.map((p) => p.split(/[= ]/)[0])).toEqual([
      'COSELL_API_TOKEN',
      'COSELL_SF_LOGIN_URL',
      'COSELL_SF_CLIENT_ID',
      'COSELL_SF_USERNAME',
      'COSELL_SF_PRIVATE_KEY_FILE',
    ]);
  });

  it('stops the start when the token is refused', async () => {
    const starting = startServer(
      {
        PORT: '0',
        COSELL_STORE: 'salesforce',
        COSELL_API_TOKEN: API_TOKEN,
        COSELL_SF_LOGIN_URL: standIn.loginUrl,
        COSELL_SF_CLIENT_ID: 'not-the-consumer-key',
        COSELL_SF_USERNAME: INTEGRATION_USER,
        COSELL_SF_PRIVATE_KEY: rsaPem().privateKey,
      },
      createLogger('silent'),
    );
    await expect(starting).rejects.toBeInstanceOf(ConfigError);
    await expect(starting).rejects.toThrow(
      /invalid_client_id[\s\S]*check COSELL_SF_CLIENT_ID/,
    );
  });
});
