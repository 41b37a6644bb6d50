// A scan's worker thread (see scanPool.ts): its modules load as soon as it starts, while the main thread is still
// reading the tree; then it analyses the candidate files it is sent, with its own module index.
import { parentPort } from 'node:worker_threads';
import { ModuleIndex } from '../analyze/moduleIndex.js';
import { isRuleEnabled } from '../config/loadConfig.js';
import { stripExt } from '../infra/paths.js';
import { SchemaSources } from '../lift/schemaSources.js';
import { analyzeFile, type FileContext } from './analyzeFile.js';
import type { PoolRequest, PoolSetup } from './scanPool.js';

let ctx: FileContext | undefined;

function setUp(s: PoolSetup): FileContext {
  return {
    root: s.root,
    index: new ModuleIndex(),
    schemas: new SchemaSources(s.config, s.root),
    ruleEnabled: (id) => isRuleEnabled(s.config, id),
    routing: s.routing,
    queryLanguage: s.queryLanguage,
    declaredEventSource: (path, exportName) => s.eventSources.get(`${stripExt(path)}#${exportName}`),
    deployed: s.deployed,
    imported: s.imported,
  };
}

parentPort!.on('message', (msg: PoolRequest) => {
  if (msg.type === 'setup') {
    ctx = setUp(msg.setup);
    return;
  }
  const outcomes = msg.files.map((f) => analyzeFile(f.path, f.text, ctx!));
  parentPort!.postMessage({ chunk: msg.chunk, outcomes });
});
