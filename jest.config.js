import { createDefaultEsmPreset } from 'ts-jest';

const preset = createDefaultEsmPreset({ tsconfig: 'tsconfig.json' });

// The AWS SDK's Node-20 end-of-support notice says nothing about the code under test.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** @type {import('jest').Config} */
export default {
  // ESM + TypeScript via ts-jest. Requires --experimental-vm-modules (set in .npmrc).
  ...preset,
  transform: {
    ...preset.transform,
    // Fixes aws-local-stepfunctions' backslash stripping in intrinsic results (see the patch file).
    'aws-local-stepfunctions/build/main\\.node\\.esm\\.js$': '<rootDir>/patches/local-sfn-escapes.cjs',
  },
  transformIgnorePatterns: ['/node_modules/(?!aws-local-stepfunctions/)'],
  testEnvironment: 'node',
  // verify cases mostly wait on child processes and local servers: two workers even on a 2-core machine.
  maxWorkers: 2,
  // verify cases start servers and child processes: generous, so a busy machine never fails them (not a performance check).
  testTimeout: 120_000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.cjs'],
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // NodeNext sources import './x.js'; point Jest at the .ts file.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  // Promise.withResolvers for aws-local-stepfunctions on Node 20.
  setupFiles: ['<rootDir>/src/polyfills.ts'],
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
};
