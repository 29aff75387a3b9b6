import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import lwcEslint from '@salesforce/eslint-config-lwc';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'coverage/**',
      'node_modules/**',
      '.sf/**',
      '.sfdx/**',
      // Third-party files shipped as static resources are not ours to lint.
      'force-app/main/default/staticresources/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      // Unused arguments are allowed when prefixed, as express and port signatures need them.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // Tests read JSON responses; their assertions check the shape.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['*.js', 'scripts/**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  // Lightning web components and their jest setup and mocks: the LWC
  // recommended set (ESLint 9 flat configs) with the babel parser it brings.
  ...lwcEslint.configs.recommended.map((config) => ({
    ...config,
    files: ['force-app/**/lwc/**/*.js', 'force-app/test/**/*.js'],
  })),
  {
    files: ['force-app/**/lwc/**/__tests__/**/*.js', 'force-app/test/**/*.js'],
    languageOptions: {
      globals: { require: 'readonly', __dirname: 'readonly' },
    },
    rules: {
      // Jest tests load JSON fixtures, and jest.mock factories their modules, with require.
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['force-app/**/lwc/**/__tests__/**/*.js'],
    rules: {
      // Tests emit data through the test doubles of wire adapters, such as getObjectInfo.emit().
      '@lwc/lwc/no-unexpected-wire-adapter-usages': 'off',
    },
  },
  {
    // The jest setup file is CommonJS, as force-app/package.json declares.
    files: ['force-app/test/jest-setup.js'],
    languageOptions: { sourceType: 'script' },
  },
);
