// Configuration as read from lambda2sfn.config.*, .lambda2sfnrc*, package.json#lambda2sfn or --config.
// schema/lambda2sfn.schema.json is the published JSON schema for this shape.

/** DynamoDB attribute type hint: S, N, BOOL, NULL, M, L, SS, NS, or L<S>/L<N>/L<BOOL> for lists of scalars. */
export type AttributeTypeHint = string;

export interface UsageDefaults {
  requestsPerMonth?: number;
  avgDurationMs?: number;
  memoryMb?: number;
  architecture?: 'x86_64' | 'arm64';
  region?: string;
  /** Apply the permanent free tiers (Lambda, Step Functions Standard) to the estimate. */
  freeTier?: boolean;
  /** Documented defaults for what nothing else states. */
  profile?: 'small' | 'medium' | 'large';
}

export interface Lambda2sfnConfig {
  include?: string[];
  exclude?: string[];
  /** Rule id → enabled. A disabled rule never lifts anything, so what it would have recognised becomes a blocker. */
  rules?: Record<string, boolean | 'on' | 'off'>;
  /** Table name (physical name, or the environment variable that holds it) → attribute → type. */
  tables?: Record<string, Record<string, AttributeTypeHint>>;
  usage?: UsageDefaults;
}

export interface LoadedConfig {
  config: Lambda2sfnConfig;
  /** Absolute path of the file the config came from; undefined when none was found. */
  filepath?: string;
}
