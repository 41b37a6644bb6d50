// Runs the CLI from src/ in a child process (started with `node --import tsx`), as bin/lambda2sfn.js runs dist/.
const { run } = await import('../../src/cli.ts');
process.exitCode = await run(process.argv);
