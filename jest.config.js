import lwcConfig from '@salesforce/sfdx-lwc-jest/config.js';

const { jestConfig: lwcJestConfig } = lwcConfig;

/** One jest process, two projects: LWC bundles (CommonJS) and the TypeScript ESM suites. */
export default {
  // Many suites start servers, seed stores or spawn Node in their hooks, which can
  // pass jest's 5 s default on a busy 2-core machine. Speed is measured by the
  // benchmarks, never by test timeouts. Jest 29 reads this option only here, not
  // in a project.
  testTimeout: 30_000,
  projects: [
    {
      ...lwcJestConfig,
      displayName: 'lwc',
      roots: ['<rootDir>/force-app'],
      setupFilesAfterEnv: [
        ...lwcJestConfig.setupFilesAfterEnv,
        '<rootDir>/force-app/test/jest-setup.js',
      ],
      moduleNameMapper: {
        '^lightning/navigation$':
          '<rootDir>/force-app/test/jest-mocks/lightning/navigation',
      },
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
