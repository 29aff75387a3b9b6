import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { demoId } from '../../middleware/src/demo/demo-people.js';
import { startTestApp } from './test-app.js';
import type { TestApp } from './test-app.js';

const vendor = demoId('005', 1);
let app: TestApp | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** Makes four calls, each with another X-Forwarded-For address, and returns their statuses. */
async function fourForwardedCalls(testApp: TestApp): Promise<number[]> {
  const statuses: number[] = [];
  for (let client = 1; client <= 4; client += 1) {
    const res = await testApp.call('GET', '/v1/stage-models', {
      user: vendor,
      headers: { 'x-forwarded-for': `10.9.9.${client}` },
    });
    statuses.push(res.status);
  }
  return statuses;
}

describe('rate limit', () => {
  it('answers 429 past the limit', async () => {
    app = await startTestApp({ app: { rateLimitPerMinute: 3 } });
    const statuses: number[] = [];
    for (let call = 0; call < 3; call += 1) {
      statuses.push(
        (await app.call('GET', '/v1/stage-models', { user: vendor })).status,
      );
    }
    const limited = await app.call('GET', '/v1/stage-models', { user: vendor });
    expect(statuses).toEqual([200, 200, 200]);
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('rate_limited');
    expect(limited.headers.get('ratelimit')).toMatch(/r=0/);
  });

  it('ignores X-Forwarded-For by default', async () => {
    app = await startTestApp({ app: { rateLimitPerMinute: 3 } });
    const printed = jest.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(await fourForwardedCalls(app)).toEqual([200, 200, 200, 429]);
      expect(printed).not.toHaveBeenCalled();
    } finally {
      printed.mockRestore();
    }
  });

  it('counts forwarded clients behind a trusted proxy', async () => {
    app = await startTestApp({
      app: { rateLimitPerMinute: 3, trustProxy: ['loopback'] },
    });
    expect(await fourForwardedCalls(app)).toEqual([200, 200, 200, 200]);
  });

  it('counts a malformed forwarded address quietly', async () => {
    app = await startTestApp({
      app: { rateLimitPerMinute: 3, trustProxy: ['loopback'] },
    });
    const printed = jest.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const statuses: number[] = [];
      for (let call = 0; call < 4; call += 1) {
        const res = await app.call('GET', '/v1/stage-models', {
          user: vendor,
          headers: { 'x-forwarded-for': 'garbage' },
        });
        statuses.push(res.status);
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
      expect(printed).not.toHaveBeenCalled();
    } finally {
      printed.mockRestore();
    }
  });
});
