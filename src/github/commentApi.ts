// What the bot needs from a code host, bound to one pull request: list, create, update, delete and hide the
// pull request's comments. GitHub implements it over REST and GraphQL; a dry run wraps it to write nothing.

export interface HostedComment {
  id: number;
  /** GraphQL node id (hiding a comment goes through GraphQL). */
  nodeId: string;
  body: string;
  url: string;
}

export interface CommentApi {
  /** Every comment of the pull request, oldest first, across all pages. */
  list(): Promise<HostedComment[]>;
  create(body: string): Promise<HostedComment>;
  update(id: number, body: string): Promise<HostedComment>;
  remove(id: number): Promise<void>;
  /** Minimizes ("hides") a comment as outdated. */
  hide(comment: HostedComment): Promise<void>;
}

/** A failure the user can act on (token, permission, repository, pull request): exit 2 with this message. */
export class HostError extends Error {
  override readonly name = 'HostError';
}
