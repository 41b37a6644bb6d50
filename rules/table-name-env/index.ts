import { createRule } from '../../src/rules/createRule.js';

/** TableName from process.env.X (inline, through a module constant, or destructured from process.env) becomes a DefinitionSubstitutions entry; module constants and literals are copied. */
export const rule = createRule({
  meta: {
    id: 'table-name-env',
    title: 'Table names from the environment',
    description: 'TableName from process.env.X (inline, through a module constant, or destructured from process.env) becomes a DefinitionSubstitutions entry; module constants and literals are copied.',
    stepFunctionsFeature: 'DefinitionSubstitutions (${Name})',
    docs: 'rules/table-name-env/README.md',
    messages: { fallback: 'process.env.{{name}} falls back to {{fallback}} in the handler; the state machine takes the value from the {{substitution}} definition substitution, which must be set at deploy time' },
  },
});
