// Registers `lambda2sfn comment`. Only commander loads here; the command's modules load when it runs.
import { Option, type Command } from 'commander';
import type { RunIO } from './io.js';

export function addCommentCommand(program: Command, io: RunIO, setExit: (code: number) => void): void {
  program
    .command('comment')
    .description('post the report as one pull-request comment, updated in place (GitHub)')
    .argument('<host>', 'where the pull request is: github')
    .argument('[paths...]', 'with --base: files, folders or globs to scan', ['.'])
    .option('--report <file>', 'the report to render (scan --format json)')
    .option('--base <ref>', 'only the handlers in files changed since the merge base with this ref, and those whose infrastructure changed (without --report: scans; default in Actions: the pull request base)')
    .option('--tag <tag>', 'names the comment, so several jobs keep one each', 'default')
    .addOption(new Option('--behavior <behavior>', 'what to do with the earlier comment').choices(['update', 'new', 'delete-and-new', 'hide-and-new']).default('update'))
    .option('--dry-run', 'print the comment and the API calls it would make; write nothing')
    .option('--always', 'comment even when there is nothing to report')
    .option('--repo <owner/name>', 'repository (default: GITHUB_REPOSITORY)')
    .option('--pr <number>', 'pull request number (default: from the GitHub Actions event)')
    .option('--commit <sha>', 'commit the file links point at (default: the pull request head)')
    .option('--api-url <url>', 'GitHub API base URL, for GitHub Enterprise (default: GITHUB_API_URL or https://api.github.com)')
    .option('--verify-report <files...>', 'verify --format json results, for the Verified? column')
    .option('--artifact-url <url>', 'where the full report is kept, linked when the comment is shortened (default: the workflow run)')
    .addOption(new Option('--fail-on <level>', 'exit 1 when a finding is at least this convertible').choices(['full', 'partial', 'any']))
    .option('-c, --config <file>', 'configuration file')
    .option('--usage-file <file>', 'cost estimate: YAML usage file')
    .action(async (host: string, paths: string[], opts: import('./comment.js').CommentCliOptions) => {
      const { runComment } = await import('./comment.js');
      setExit(await runComment(host, paths, opts, io));
    });
}
