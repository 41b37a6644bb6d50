// Golden cases, shard 1 of 3 (see support/goldenSuite.ts).
import { describeGolden } from './support/goldenSuite.js';

describeGolden(0, 3);
