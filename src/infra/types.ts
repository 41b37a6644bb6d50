// What the infrastructure readers find: each function resource with the handler module it deploys.
import type { Deployment } from '../report/types.js';

export interface DeployedFunction {
  /** The part that goes into the report (`Finding.deployment`). */
  deployment: Deployment;
  /** Absolute path of the infrastructure file. */
  absFile: string;
  /** Absolute path of the handler module without its extension (e.g. /repo/src/get). */
  handlerModule: string;
  /** The exported handler name. */
  handlerExport: string;
  /** Environment values as data: CloudFormation long form ({ Ref: 'ItemsTable' }) or CDK source text ({ code: 'table.tableName' }). */
  envValues: Record<string, unknown>;
}

export interface InfraFile {
  iac: Deployment['iac'];
  absFile: string;
}

export interface InfrastructureModel {
  /** Every file recognised as infrastructure (even with no function in it). */
  files: InfraFile[];
  functions: DeployedFunction[];
  /** Files that look like infrastructure but could not be read. */
  errors: Array<{ absFile: string; message: string; line?: number }>;
}
