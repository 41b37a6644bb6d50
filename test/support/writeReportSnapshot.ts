// Writes the report snapshot of a checkout: `npx tsx test/support/writeReportSnapshot.ts <checkout> <out.json.gz>`.
// The checkout may be any commit (e.g. a `git worktree` of main) with its node_modules installed or linked.
import { resolve } from 'node:path';
import { loadScan, takeSnapshot, writeSnapshot } from './reportSnapshot.js';

const [checkout, outFile] = process.argv.slice(2);
if (!checkout || !outFile) {
  process.stderr.write('usage: writeReportSnapshot.ts <checkout> <out.json.gz>\n');
  process.exit(2);
}
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const root = resolve(checkout);
const snapshot = await takeSnapshot(root, await loadScan(root));
writeSnapshot(resolve(outFile), snapshot);
process.stderr.write(`${Object.keys(snapshot).length} reports written to ${outFile}\n`);
