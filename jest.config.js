import lwcConfig from '@salesforce/sfdx-lwc-jest/config.js';

/** One jest process, two projects: LWC bundles (CommonJS) and the TypeScript ESM suites. */
export default {
  projects: [
    {
      ...lwcConfig,
      displayName: 'lwc',
      roots: ['<rootDir>/force-app'],
    },
    {
      displayName: 'ts',
      roots: ['<rootDir>/test'],
      testEnvironment: 'node',
      testMatch: ['**/*.test.ts'],
      extensionsToTreatAsEsm: ['.ts'],
      moduleNameMapper: {
        '^(\\.{1,2}/.*)\\.js$': '$1',
      },
      transform: {
        '^.+\\.ts$': [
          'ts-jest',
          { useESM: true, tsconfig: 'tsconfig.test.json' },
        ],
      },
    },
  ],
};
