import type { Router } from './router.js';
import type { StandInState } from './state.js';

/** The oldest API version the stand-in lists and serves. */
export const OLDEST_API_VERSION = 31;

/** `Winter '25` for 62.0: three releases a year, Spring (63.0), Summer (64.0), Winter (65.0) of the next year's name. */
function releaseLabel(major: number): string {
  const season = ['Spring', 'Summer', 'Winter'][
    (major - 63 + 300) % 3
  ] as string;
  const offset = season === 'Winter' ? major - 62 : major - 63;
  const year = 25 + Math.floor(offset / 3);
  return `${season} '${String(year).padStart(2, '0')}`;
}

/** `GET /services/data`: every version from 31.0 up to the stand-in's. */
export function versionsBody(state: StandInState) {
  const newest = Number.parseInt(state.settings.apiVersion, 10);
  const versions = [];
  for (let major = OLDEST_API_VERSION; major <= newest; major++) {
    versions.push({
      label: releaseLabel(major),
      url: `/services/data/v${major}.0`,
      version: `${major}.0`,
    });
  }
  return versions;
}

export function isServedVersion(state: StandInState, version: string): boolean {
  const major = Number(version);
  return (
    Number.isInteger(major) &&
    major >= OLDEST_API_VERSION &&
    major <= Number(state.settings.apiVersion)
  );
}

export function registerLimitsRoutes(router: Router): void {
  router.add('GET', 'limits', 'limits', (state) => {
    const max = state.settings.dailyApiRequestLimit;
    const jobs = state.bulkJobs.jobs.size;
    return {
      status: 200,
      body: {
        DailyApiRequests: {
          Max: max,
          Remaining: Math.max(0, max - state.log.apiCallsUsed),
        },
        DailyBulkV2QueryJobs: { Max: 10000, Remaining: 10000 - jobs },
        DailyBulkV2QueryFileStorageMB: { Max: 976562, Remaining: 976562 },
      },
    };
  });
  router.add('GET', '', 'other', (state, call) => {
    const base = `/services/data/v${call.apiVersion}`;
    return {
      status: 200,
      body: {
        sobjects: `${base}/sobjects`,
        query: `${base}/query`,
        queryAll: `${base}/queryAll`,
        composite: `${base}/composite`,
        limits: `${base}/limits`,
        jobs: `${base}/jobs`,
      },
    };
  });
}
