import { createDefaultEsmPreset } from 'ts-jest';

/** @type {import('jest').Config} */
export default {
  // ESM + TypeScript via ts-jest. Requires --experimental-vm-modules (set in .npmrc).
  ...createDefaultEsmPreset({ tsconfig: 'tsconfig.json' }),
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // NodeNext sources import './x.js'; point Jest at the .ts file.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  // Promise.withResolvers for aws-local-stepfunctions on Node 20.
  setupFiles: ['<rootDir>/src/polyfills.ts'],
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
};
