// Which repository and pull request the comment goes to: flags first, then the GitHub Actions environment
// (GITHUB_REPOSITORY, the pull_request event at GITHUB_EVENT_PATH, GITHUB_API_URL / GITHUB_SERVER_URL for Enterprise).
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';

export interface PullRequestFlags {
  repo?: string;
  pr?: string;
  commit?: string;
  apiUrl?: string;
}

export interface PullRequestContext {
  owner: string;
  repo: string;
  /** Undefined outside a pull request (a dry run can still render). */
  pullNumber?: number;
  /** The PR head commit, for file links. */
  headSha?: string;
  /** The PR base commit, the default for --base. */
  baseSha?: string;
  apiUrl: string;
  serverUrl: string;
  /** The workflow run, whose artifacts hold the full report. */
  runUrl?: string;
}

interface PullRequestEvent {
  number?: number;
  pull_request?: { number?: number; head?: { sha?: string }; base?: { sha?: string } };
}

function readEvent(path: string | undefined): PullRequestEvent {
  if (!path) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as PullRequestEvent;
  } catch (e) {
    throw new UsageError(`cannot read the GitHub event file GITHUB_EVENT_PATH=${path}: ${(e as Error).message}`);
  }
}

/** github.com ↔ api.github.com; an Enterprise server's API is <server>/api/v3. */
function serverFromApi(apiUrl: string): string {
  const u = apiUrl.replace(/\/+$/, '');
  if (/^https:\/\/api\.github\.com$/i.test(u)) return 'https://github.com';
  return u.replace(/\/api\/v3$/i, '');
}

export function pullRequestContext(flags: PullRequestFlags, env: NodeJS.ProcessEnv): PullRequestContext {
  const slug = flags.repo ?? env['GITHUB_REPOSITORY'];
  if (!slug) throw new UsageError('which repository? Pass --repo owner/name (in GitHub Actions GITHUB_REPOSITORY says it).');
  const m = /^([\w.-]+)\/([\w.-]+)$/.exec(slug);
  if (!m) throw new UsageError(`--repo needs owner/name, not "${slug}".`);
  const event = readEvent(env['GITHUB_EVENT_PATH']);
  let pullNumber = event.pull_request?.number ?? (event.pull_request ? event.number : undefined);
  if (flags.pr !== undefined) {
    pullNumber = Number(flags.pr);
    if (!Number.isInteger(pullNumber) || pullNumber < 1) throw new UsageError(`--pr needs a pull request number, not "${flags.pr}".`);
  }
  const apiUrl = (flags.apiUrl ?? env['GITHUB_API_URL'] ?? 'https://api.github.com').replace(/\/+$/, '');
  const serverUrl = (flags.apiUrl ? serverFromApi(apiUrl) : env['GITHUB_SERVER_URL'] ?? serverFromApi(apiUrl)).replace(/\/+$/, '');
  const runId = env['GITHUB_RUN_ID'];
  return {
    owner: m[1]!,
    repo: m[2]!,
    pullNumber,
    headSha: flags.commit ?? event.pull_request?.head?.sha,
    baseSha: event.pull_request?.base?.sha,
    apiUrl,
    serverUrl,
    runUrl: runId ? `${serverUrl}/${m[1]}/${m[2]}/actions/runs/${runId}` : undefined,
  };
}
