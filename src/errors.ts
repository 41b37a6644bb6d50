// Errors that map to the exit codes of product.md §3.

/** Bad flags, bad config, missing paths: exit 2 with a clear message and no stack trace. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly exitCode = 2;
}

export const EXIT = { ok: 0, failOn: 1, usage: 2, internal: 3 } as const;
