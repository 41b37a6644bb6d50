declare module 'asl-validator' {
  interface AslValidatorResult {
    isValid: boolean;
    errors: Array<{ message?: string; [k: string]: unknown }>;
    errorsText: (separator?: string) => string;
  }
  function aslValidator(definition: unknown, opts?: Record<string, unknown>): AslValidatorResult;
  export default aslValidator;
}

declare module 'dynalite' {
  import type { Server } from 'node:http';
  function dynalite(opts?: {
    path?: string; createTableMs?: number; deleteTableMs?: number;
    updateTableMs?: number; maxItemSizeKb?: number;
  }): Server;
  export default dynalite;
}
