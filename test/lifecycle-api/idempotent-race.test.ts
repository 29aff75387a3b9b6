import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { LifecycleStore } from '../../middleware/src/org/lifecycle-store.js';
import { beforeNextCall } from '../helpers/before-next-call.js';
import { PEOPLE, startLifecycleApp } from './lifecycle-test-app.js';
import type { CallResult, LifecycleTestApp } from './lifecycle-test-app.js';

/** A year after the current one, so that registration close dates stay in the future. */
const NEXT_YEAR = new Date().getUTCFullYear() + 1;

let app: LifecycleTestApp;

beforeAll(async () => {
  app = await startLifecycleApp();
});

afterAll(async () => {
  await app.close();
});

let serial = 0;

function registration() {
  serial += 1;
  return {
    customerCompany: `Raceway Test ${serial} Holdings`,
    customerWebsite: `https://raceway-${serial}.test`,
    customerCountry: 'Canada',
    productLine: 'Platform',
    amount: '50000.00',
    currencyIsoCode: 'USD',
    expectedCloseDate: `${NEXT_YEAR}-06-30`,
  };
}

/** Runs `rival` when the app's next `name` write starts, after that call read the store. */
function beforeNextWrite(
  name: 'createRegistration' | 'approveRegistration' | 'closeRegistration',
  rival: () => Promise<unknown>,
) {
  return beforeNextCall(app.lc.store as LifecycleStore, name, rival);
}

function post(path: string, user: string, body: unknown, key: string) {
  return app.call('POST', path, {
    user,
    body,
    headers: { 'idempotency-key': key },
  });
}

async function submitted(): Promise<string> {
  const created = await app.call('POST', '/v1/registrations', {
    user: PEOPLE.partnerSeller,
    body: registration(),
  });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

describe('identical keyed registration calls that race', () => {
  it('replays a registration created meanwhile', async () => {
    const body = registration();
    const key = `race-register-${serial}`;
    let rival: CallResult | undefined;
    const restore = beforeNextWrite('createRegistration', async () => {
      rival = await post('/v1/registrations', PEOPLE.partnerSeller, body, key);
    });
    try {
      const late = await post(
        '/v1/registrations',
        PEOPLE.partnerSeller,
        body,
        key,
      );
      expect(rival?.status).toBe(201);
      expect(late.status).toBe(201);
      expect(late.body.id).toBe(rival?.body.id);
      expect(late.headers.get('idempotent-replayed')).toBe('true');
    } finally {
      restore();
    }
  });

  it('replays an approval made meanwhile', async () => {
    const id = await submitted();
    const path = `/v1/registrations/${id}/approve`;
    const key = `race-approve-${id}`;
    let rival: CallResult | undefined;
    const restore = beforeNextWrite('approveRegistration', async () => {
      rival = await post(path, PEOPLE.channelManager, {}, key);
    });
    try {
      const late = await post(path, PEOPLE.channelManager, {}, key);
      expect(rival?.status).toBe(200);
      expect(late.status).toBe(200);
      expect(late.body.deal.id).toBe(rival?.body.deal.id);
      expect(late.body.registration.status).toBe('Converted');
      expect(late.headers.get('idempotent-replayed')).toBe('true');
    } finally {
      restore();
    }
  });

  it('replays a rejection made meanwhile', async () => {
    const id = await submitted();
    const path = `/v1/registrations/${id}/reject`;
    const body = { reason: 'Customer is already in our pipeline' };
    const key = `race-reject-${id}`;
    let rival: CallResult | undefined;
    const restore = beforeNextWrite('closeRegistration', async () => {
      rival = await post(path, PEOPLE.channelManager, body, key);
    });
    try {
      const late = await post(path, PEOPLE.channelManager, body, key);
      expect(rival?.status).toBe(200);
      expect(late.status).toBe(200);
      expect(late.body).toEqual(rival?.body);
      expect(late.headers.get('idempotent-replayed')).toBe('true');
    } finally {
      restore();
    }
  });
});
