import { readFileSync } from 'node:fs';
import { drawStateMachine, aslToMermaid } from './src/wizard/drawGraph.js';
const r = JSON.parse(readFileSync(process.argv[2]!, 'utf8'));
for (const f of r.findings) if (f.stateMachine) { console.log(f.file, Object.keys(f.stateMachine.definition.States).length); console.log(await drawStateMachine(f.stateMachine.definition, { width: 120, color: false })); }
