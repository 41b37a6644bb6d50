// What an emitter returns, and the failure it raises for a construct its query language cannot express.
import type { Assumption, AslDefinition, PollingLoop } from '../../report/types.js';

export class EmitFailure extends Error {
  constructor(message: string, readonly line: number) {
    super(message);
  }
}

/** A pure computation kept in a small Lambda function (the residual module). */
export interface ResidualFunction {
  id: string;
  code: string;
  inputs: string[];
  line: number;
}

export interface EmitResult {
  definition: AslDefinition;
  resources: string[];
  residuals: ResidualFunction[];
  assumptions: Assumption[];
  invokesHandler: boolean;
  pollingLoops: PollingLoop[];
}

/** Template substitutions the deployment fills in with the residual function's and the original handler's ARNs. */
export const RESIDUAL_SUBSTITUTION = 'ResidualFunctionArn';
export const HANDLER_SUBSTITUTION = 'OriginalHandlerArn';
