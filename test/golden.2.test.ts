// Golden cases, shard 2 of 3 (see support/goldenSuite.ts).
import { describeGolden } from './support/goldenSuite.js';

describeGolden(1, 3);
