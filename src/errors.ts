// Errors that map to the CLI's exit codes (EXIT): 2 for usage and bad input, 3 for internal errors.

/** Bad flags, bad config, missing paths: exit 2 with a clear message and no stack trace. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly exitCode = 2;
}

export const EXIT = { ok: 0, failOn: 1, usage: 2, internal: 3 } as const;
