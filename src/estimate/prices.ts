// The price table, as data. Every figure carries where it comes from; a figure no source justifies is `null`
// (the estimate then says it cannot compute that total) rather than a guess. A .ts module so it ships in dist/.

/** One price with its source. `null` value: no source justifies a figure for this region. */
export interface PriceFigure {
  usd: number | null;
  source: string;
}

/** A volume tier: the price applies to usage above `fromUnits` (units of the figure, per month). */
export interface PriceTier {
  fromUnits: number;
  usdPerUnit: number;
}

export interface TieredPrice {
  tiers: PriceTier[] | null;
  unit: string;
  source: string;
}

export interface RegionPrices {
  region: string;
  name: string;
  lambda: {
    usdPerRequest: PriceFigure;
    /** Per GB-second, by architecture; tiers in GB-seconds per month. */
    gbSecond: { x86_64: TieredPrice; arm64: TieredPrice };
  };
  standard: { usdPerTransition: PriceFigure };
  express: {
    usdPerRequest: PriceFigure;
    /** Per GB-hour; tiers in GB-hours per month (AWS states the Express tiers in GB-hours). */
    gbHour: TieredPrice;
  };
  apiGateway: { restUsdPerRequest: PriceFigure; httpUsdPerRequest: PriceFigure };
}

export interface FreeTier {
  lambdaRequests: number;
  lambdaGbSeconds: number;
  standardTransitions: number;
  source: string;
}

/** When the table was compiled. The AWS pricing pages were read as stored copies that show no date of their own. */
export const PRICES_AS_OF = '2026-11';

const AWS_LAMBDA = 'https://aws.amazon.com/lambda/pricing/ (us-east-1; stored copy, undated), cross-checked with cloudchipr.com/blog/aws-lambda-pricing (2024)';
const AWS_LAMBDA_TIERS = 'https://aws.amazon.com/blogs/compute/introducing-tiered-pricing-for-aws-lambda/ (2022-08: x86 −10% above 6 B GB-s, −20% above 15 B; arm64 −10% above 7.5 B, −20% above 18.75 B)';
const AWS_SFN = 'https://aws.amazon.com/step-functions/pricing/ (stored copy, undated: state transitions pricing table)';
const AWS_SFN_EXPRESS = 'https://aws.amazon.com/step-functions/pricing/ (us-east-1; stored copy, undated; reproduces AWS example 3: 100M × 10 s × 64 MB = $382.97 duration)';
const AWS_APIGW = 'https://aws.amazon.com/api-gateway/pricing/ (us-east-1, first tier), cross-checked with awsforengineers.com/blog/aws-api-gateway-pricing-explained (2025-05)';
const POWER_TUNING =
  'github.com/alexcasalboni/aws-lambda-power-tuning template baseCosts (per-ms cost at 128 MB: x86 2.1e-9, arm64 1.7e-9 "default"; this region is not among its exceptions), i.e. the us-east-1 GB-second price';
const UNVERIFIED = 'no source available to lambda2sfn for this region; not estimated';

const LAMBDA_X86_US_EAST_1: PriceTier[] = [
  { fromUnits: 0, usdPerUnit: 0.0000166667 },
  { fromUnits: 6e9, usdPerUnit: 0.000015 },
  { fromUnits: 15e9, usdPerUnit: 0.0000133334 },
];
const LAMBDA_ARM_US_EAST_1: PriceTier[] = [
  { fromUnits: 0, usdPerUnit: 0.0000133334 },
  { fromUnits: 7.5e9, usdPerUnit: 0.0000120001 },
  { fromUnits: 18.75e9, usdPerUnit: 0.0000106667 },
];
const EXPRESS_GB_HOUR_US_EAST_1: PriceTier[] = [
  { fromUnits: 0, usdPerUnit: 0.06 },
  { fromUnits: 1000, usdPerUnit: 0.03 },
  { fromUnits: 5000, usdPerUnit: 0.01642 },
];

/** A region whose Standard price comes from AWS's regional table and whose Lambda duration price from power-tuning. */
function partlyVerifiedRegion(region: string, name: string, usdPer1000Transitions: number): RegionPrices {
  return {
    region,
    name,
    lambda: {
      usdPerRequest: { usd: null, source: UNVERIFIED },
      gbSecond: {
        x86_64: { tiers: LAMBDA_X86_US_EAST_1, unit: 'GB-second', source: `${POWER_TUNING}; volume tiers as in ${AWS_LAMBDA_TIERS}` },
        arm64: { tiers: LAMBDA_ARM_US_EAST_1, unit: 'GB-second', source: `${POWER_TUNING}; volume tiers as in ${AWS_LAMBDA_TIERS}` },
      },
    },
    standard: { usdPerTransition: { usd: usdPer1000Transitions / 1000, source: `${AWS_SFN}: ${name} $${usdPer1000Transitions.toFixed(4)} per 1,000` } },
    express: {
      usdPerRequest: { usd: null, source: UNVERIFIED },
      gbHour: { tiers: null, unit: 'GB-hour', source: UNVERIFIED },
    },
    apiGateway: { restUsdPerRequest: { usd: null, source: UNVERIFIED }, httpUsdPerRequest: { usd: null, source: UNVERIFIED } },
  };
}

export const REGION_PRICES: Record<string, RegionPrices> = {
  'us-east-1': {
    region: 'us-east-1',
    name: 'US East (N. Virginia)',
    lambda: {
      usdPerRequest: { usd: 0.2 / 1e6, source: `${AWS_LAMBDA}: $0.20 per 1M requests` },
      gbSecond: {
        x86_64: { tiers: LAMBDA_X86_US_EAST_1, unit: 'GB-second', source: `${AWS_LAMBDA}; ${AWS_LAMBDA_TIERS}` },
        arm64: { tiers: LAMBDA_ARM_US_EAST_1, unit: 'GB-second', source: `${AWS_LAMBDA}; ${AWS_LAMBDA_TIERS}` },
      },
    },
    standard: { usdPerTransition: { usd: 0.025 / 1000, source: `${AWS_SFN}: US East (N. Virginia) $0.0250 per 1,000` } },
    express: {
      usdPerRequest: { usd: 1 / 1e6, source: `${AWS_SFN_EXPRESS}: $1.00 per 1M requests` },
      gbHour: { tiers: EXPRESS_GB_HOUR_US_EAST_1, unit: 'GB-hour', source: `${AWS_SFN_EXPRESS}: $0.06/GB-h first 1,000 GB-h, $0.03 next 4,000, $0.01642 beyond` },
    },
    apiGateway: {
      restUsdPerRequest: { usd: 3.5 / 1e6, source: `${AWS_APIGW}: REST $3.50 per 1M (first 333M)` },
      httpUsdPerRequest: { usd: 1 / 1e6, source: `${AWS_APIGW}: HTTP $1.00 per 1M (first 300M)` },
    },
  },
  'us-east-2': partlyVerifiedRegion('us-east-2', 'US East (Ohio)', 0.025),
  'us-west-2': partlyVerifiedRegion('us-west-2', 'US West (Oregon)', 0.025),
  'eu-west-1': partlyVerifiedRegion('eu-west-1', 'Europe (Ireland)', 0.025),
  'eu-central-1': partlyVerifiedRegion('eu-central-1', 'Europe (Frankfurt)', 0.025),
  'ap-southeast-1': partlyVerifiedRegion('ap-southeast-1', 'Asia Pacific (Singapore)', 0.025),
  'ap-northeast-1': partlyVerifiedRegion('ap-northeast-1', 'Asia Pacific (Tokyo)', 0.025),
};

export const FREE_TIER: FreeTier = {
  lambdaRequests: 1e6,
  lambdaGbSeconds: 400_000,
  standardTransitions: 4000,
  source: `${AWS_LAMBDA} (1M requests + 400,000 GB-s per month, both architectures, permanent); ${AWS_SFN} (4,000 transitions per month, permanent). Per account and shared by all functions and state machines; Express has none`,
};

export function pricesFor(region: string): RegionPrices | undefined {
  return REGION_PRICES[region];
}
