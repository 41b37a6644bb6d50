// A proposal: the files the migration of one finding would add, change or delete, and what the user must know.
export interface FileChange {
  /** Path relative to the scan root, with forward slashes. */
  path: string;
  /** Content before (null: the file is added). */
  before: string | null;
  /** Content after (null: the file is deleted). */
  after: string | null;
}

export interface Proposal {
  iac: 'sam' | 'serverless' | 'cdk' | 'none';
  changes: FileChange[];
  /** What the user should know or do by hand. */
  notes: string[];
  /** Why the proposal must not be applied automatically (empty when it can). */
  conflicts: string[];
  snippet?: { language: 'yaml' | 'typescript'; text: string };
}

/** Answers the scan could not know, e.g. from `migrate`: by default the workflow is EXPRESS and named after the function. */
export interface ProposeOptions {
  workflowType?: 'EXPRESS' | 'STANDARD';
  /** Base of the new resources' names (PascalCase, e.g. `GetItem` → `GetItemStateMachine`, `statemachine/get-item.asl.json`). */
  name?: string;
}

/** Reads a file relative to the scan root (null when absent); lets several proposals build on one another before anything is written. */
export type FileView = (path: string) => string | null;
