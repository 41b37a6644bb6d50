// Golden cases, shard 3 of 3 (see support/goldenSuite.ts).
import { describeGolden } from './support/goldenSuite.js';

describeGolden(2, 3);
