// What the JSONata executor can raise. Two kinds are refusals (thrown to the caller, never turned into an
// execution result): a behaviour the executor does not implement, and a definition AWS would reject.
// StatesFailure is an execution failure with a Step Functions error name, handled by Retry/Catch.

/** A behaviour Step Functions does not document, so the executor does not guess it. */
export class NotSupportedByExecutor extends Error {
  override readonly name = 'NotSupportedByExecutor';
  constructor(what: string) {
    super(`not supported by the lambda2sfn JSONata executor: ${what}`);
  }
}

/** A definition Step Functions would not accept (found while running it). */
export class InvalidJsonataDefinition extends Error {
  override readonly name = 'InvalidJsonataDefinition';
}

/** A failed state: `error` is the Step Functions error name (States.*, DynamoDB.*, a handler's errorType). */
export class StatesFailure extends Error {
  override readonly name = 'StatesFailure';
  constructor(
    readonly error: string,
    readonly causeText: string,
    /** Raised by the Task's resource itself (what States.TaskFailed matches), not by an expression. */
    readonly fromTask = false,
  ) {
    super(`${error}: ${causeText}`);
  }
}
