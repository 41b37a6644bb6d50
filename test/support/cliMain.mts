// The CLI as a real process, straight from the sources (tsx), for tests that need real stdio: pipes, exit codes.
import { run } from '../../src/cli.js';

process.exitCode = await run(process.argv);
