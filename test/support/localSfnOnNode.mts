// Runs one Task with TimeoutSeconds (the code path of aws-local-stepfunctions that calls Promise.withResolvers) in a
// plain Node process, with or without src/polyfills.ts; prints the result or the error.
if (process.argv.includes('--polyfill')) await import('../../src/polyfills.js');
const { StateMachine } = await import('aws-local-stepfunctions');
const resource = 'arn:aws:lambda:us-east-1:123456789012:function:echo';
const sm = new StateMachine({ StartAt: 'T', States: { T: { Type: 'Task', Resource: resource, TimeoutSeconds: 5, End: true } } });
try {
  const { result } = sm.run({ a: 1 }, { overrides: { taskResourceLocalHandlers: { T: async (input) => ({ echoed: input }) } } });
  console.log(JSON.stringify(await result));
} catch (e) {
  console.log(`error: ${(e as Error).message}`);
}
