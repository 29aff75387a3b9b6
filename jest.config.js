import lwcConfig from '@salesforce/sfdx-lwc-jest/config.js';

const { jestConfig: lwcJestConfig } = lwcConfig;

/** One jest process, two projects: LWC bundles (CommonJS) and the TypeScript ESM suites. */
export default {
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
