// A Task state with no local implementation: verify refuses to run it, since it would call AWS.
export class UnboundTaskError extends Error {
  override readonly name = 'UnboundTaskError';
}
