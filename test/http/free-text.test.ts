import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { demoId } from '../../middleware/src/demo/demo-people.js';
import { createDemoDeal } from '../../scripts/demo/demo-deal.js';
import {
  PEOPLE,
  startLifecycleApp,
} from '../lifecycle-api/lifecycle-test-app.js';
import type { LifecycleTestApp } from '../lifecycle-api/lifecycle-test-app.js';

/** A year after the current one, so that registration close dates stay in the future. */
const NEXT_YEAR = new Date().getUTCFullYear() + 1;

let app: LifecycleTestApp;

beforeAll(async () => {
  app = await startLifecycleApp();
});

afterAll(async () => {
  await app.close();
});

/** An Id of the right form that names no record; validation runs before lookup. */
const unknownId = demoId('a0X', 999);

const registration = {
  customerCompany: 'Quillfeather Free Text Holdings',
  customerWebsite: 'https://quillfeather-free-text.test',
  customerCountry: 'Canada',
  productLine: 'Platform',
  amount: '1000.00',
  currencyIsoCode: 'USD',
  expectedCloseDate: `${NEXT_YEAR}-06-30`,
};

/** Every free-text field of a request body, with a call that sends `text` in it. */
const multiLineFields = [
  {
    field: 'reason',
    call: 'POST /v1/deals/{dealId}/stage-requests',
    path: `/v1/deals/${demoId('006', 1)}/stage-requests`,
    body: (text: string) => ({ kind: 'Advance', reason: text }),
  },
  ...(['reject', 'withdraw', 'override'] as const).map((action) => ({
    field: 'reason',
    call: `POST /v1/stage-requests/{requestId}/${action}`,
    path: `/v1/stage-requests/${unknownId}/${action}`,
    body: (text: string) => ({ reason: text }),
  })),
  {
    field: 'reason',
    call: 'POST /v1/registrations/{id}/reject',
    path: `/v1/registrations/${unknownId}/reject`,
    body: (text: string) => ({ reason: text }),
  },
];

const singleLineFields = (
  ['customerCompany', 'customerWebsite', 'customerCountry'] as const
).map((field) => ({
  field,
  call: 'POST /v1/registrations',
  path: '/v1/registrations',
  body: (text: string) => ({ ...registration, [field]: text }),
}));

/** Joins the messages of a problem's validation issues at one path. */
function messagesAt(
  problem: { issues: Array<{ path: string; message: string }> },
  path: string,
): string {
  return problem.issues
    .filter((issue) => issue.path === path)
    .map((issue) => issue.message)
    .join(' ');
}

function post(path: string, body: unknown) {
  return app.call('POST', path, { user: PEOPLE.partnerSeller, body });
}

describe('control characters in free text', () => {
  const controls = [
    { name: 'NUL', text: 'acme\u0000.com', codePoint: 'U+0000' },
    { name: 'ESC', text: 'acme\u001b.com', codePoint: 'U+001B' },
    { name: 'DEL', text: 'acme\u007f.com', codePoint: 'U+007F' },
    { name: 'LRE', text: 'acme\u202a.com', codePoint: 'U+202A' },
    { name: 'RLO', text: 'acme\u202e.com', codePoint: 'U+202E' },
    { name: 'LRI', text: 'acme\u2066.com', codePoint: 'U+2066' },
    { name: 'PDI', text: 'acme\u2069.com', codePoint: 'U+2069' },
  ];
  const cases = [...multiLineFields, ...singleLineFields].flatMap((target) =>
    controls.map((control) => ({ ...target, ...control })),
  );

  it.each(cases)(
    'rejects $name in $field of $call',
    async ({ path, body, field, text, codePoint }) => {
      const res = await post(path, body(text));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('invalid_request');
      expect(res.body.value).toBe(text);
      const messages = messagesAt(res.body, `body.${field}`);
      expect(messages).toContain(`characters such as ${codePoint}`);
      expect(messages).toContain('remove them');
    },
  );

  const surrogates = [
    { name: 'a lone high surrogate', text: 'x\ud800y', codePoint: 'U+D800' },
    { name: 'a lone low surrogate', text: 'x\udfffy', codePoint: 'U+DFFF' },
    { name: 'a final high surrogate', text: 'acme\udbff', codePoint: 'U+DBFF' },
    { name: 'a reversed pair', text: 'x\ude00\ud83dy', codePoint: 'U+DE00' },
  ];
  const surrogateCases = [...multiLineFields, ...singleLineFields].flatMap(
    (target) => surrogates.map((surrogate) => ({ ...target, ...surrogate })),
  );

  it.each(surrogateCases)(
    'rejects $name in $field of $call',
    async ({ path, body, field, text, codePoint }) => {
      const res = await post(path, body(text));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('invalid_request');
      const messages = messagesAt(res.body, `body.${field}`);
      expect(messages).toContain(`lone UTF-16 surrogate ${codePoint}`);
    },
  );

  it('keeps an emoji sent as a surrogate pair', async () => {
    const deal = await createDemoDeal(app.gateway);
    // JSON.stringify writes the emoji unescaped, so the body escapes the pair by hand.
    const res = await app.call(
      'POST',
      `/v1/deals/${deal.dealId}/stage-requests`,
      {
        user: deal.vendorSeller,
        rawBody: '{"kind":"Advance","reason":"Signed \\ud83d\\ude00"}',
      },
    );
    expect(res.status).toBe(201);
    expect(res.body.reason).toBe('Signed \u{1F600}');
  });

  it('passes right-to-left text without controls', async () => {
    const res = await post('/v1/registrations', {
      ...registration,
      customerCompany: 'شركة أكمي',
    });
    expect(res.status).toBe(201);
  });

  it('names a bidirectional control as such', async () => {
    const res = await post('/v1/registrations', {
      ...registration,
      customerCountry: 'Canada\u202e',
    });
    expect(res.status).toBe(400);
    expect(messagesAt(res.body, 'body.customerCountry')).toContain(
      'must not contain bidirectional control characters such as U+202E',
    );
  });

  it.each(
    singleLineFields.flatMap((target) => [
      { ...target, name: 'a tab', text: 'acme\t.com', codePoint: 'U+0009' },
      {
        ...target,
        name: 'a line feed',
        text: 'acme\n.com',
        codePoint: 'U+000A',
      },
    ]),
  )(
    'rejects $name in $field',
    async ({ path, body, field, text, codePoint }) => {
      const res = await post(path, body(text));
      expect(res.status).toBe(400);
      const messages = messagesAt(res.body, `body.${field}`);
      expect(messages).toContain(codePoint);
      expect(messages).toContain('on one line');
    },
  );

  it.each(multiLineFields.slice(1))(
    'passes tabs and line breaks in $field of $call',
    async ({ path, body }) => {
      const res = await post(path, body('First line\r\n\tsecond line'));
      expect(res.status).not.toBe(400);
    },
  );

  it('keeps tabs and line breaks in a request reason', async () => {
    const deal = await createDemoDeal(app.gateway);
    const reason = 'Customer signed:\n\t- the mutual plan\r\n\t- the budget';
    const res = await app.call(
      'POST',
      `/v1/deals/${deal.dealId}/stage-requests`,
      { user: deal.vendorSeller, body: { kind: 'Advance', reason } },
    );
    expect(res.status).toBe(201);
    expect(res.body.reason).toBe(reason);
  });
});

describe('length of text with emoji', () => {
  /** An emoji outside the Basic Multilingual Plane: two UTF-16 code units. */
  const EMOJI = '\u{1F600}';

  const logLines: Array<Record<string, unknown>> = [];
  let logged: LifecycleTestApp;

  beforeAll(async () => {
    logged = await startLifecycleApp({ logLines });
  });

  afterAll(async () => {
    await logged.close();
  });

  /** Creates a registration to reject, with a company name no other test uses. */
  async function pendingRegistration(): Promise<string> {
    const created = await logged.call('POST', '/v1/registrations', {
      user: PEOPLE.partnerSeller,
      body: {
        ...registration,
        customerCompany: 'Quillfeather Emoji Length Holdings',
        customerWebsite: 'https://quillfeather-emoji-length.test',
      },
    });
    expect(created.status).toBe(201);
    return created.body.id as string;
  }

  /** Builds a case that sends the text in one field of a new registration. */
  function registrationCase(field: string, limit: number, emoji: number) {
    return {
      field,
      call: 'POST /v1/registrations',
      limit,
      emoji,
      send: (text: string) =>
        logged.call('POST', '/v1/registrations', {
          user: PEOPLE.partnerSeller,
          body: { ...registration, [field]: text },
        }),
    };
  }

  const cases = [
    {
      field: 'reason',
      call: 'POST /v1/deals/{dealId}/stage-requests',
      limit: 1000,
      emoji: 501,
      send: async (text: string) => {
        const deal = await createDemoDeal(logged.gateway);
        return logged.call('POST', `/v1/deals/${deal.dealId}/stage-requests`, {
          user: deal.vendorSeller,
          body: { kind: 'Advance', reason: text },
        });
      },
    },
    registrationCase('customerCompany', 255, 200),
    registrationCase('customerCountry', 80, 60),
    {
      field: 'reason',
      call: 'POST /v1/registrations/{id}/reject',
      limit: 1000,
      emoji: 600,
      send: async (text: string) => {
        const id = await pendingRegistration();
        return logged.call('POST', `/v1/registrations/${id}/reject`, {
          user: PEOPLE.channelManager,
          body: { reason: text },
        });
      },
    },
  ];

  // Each text starts with a letter, which a company name and a country need.
  it.each(cases)(
    'rejects $emoji emoji in $field of $call',
    async ({ field, limit, emoji, send }) => {
      const res = await send(`A${EMOJI.repeat(emoji)}`);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('invalid_request');
      const messages = messagesAt(res.body, `body.${field}`);
      expect(messages).toContain(String(limit));
      expect(messages).toContain('emoji');
      expect(messages).toContain('counts as two');
    },
  );

  it.each(cases)(
    'passes $field of $call at its limit',
    async ({ limit, send }) => {
      const emoji = Math.floor((limit - 1) / 2);
      const res = await send(`A${EMOJI.repeat(emoji)}`);
      expect([200, 201]).toContain(res.status);
    },
  );

  // Checks the lines that the tests above logged. Error messages quote at most
  // 100 code units of a value, which is 50 emoji.
  it('logs no whole rejected text', () => {
    expect(logLines.length).toBeGreaterThan(0);
    for (const line of logLines) {
      expect(JSON.stringify(line)).not.toContain(EMOJI.repeat(51));
    }
  });
});
