// A rule recognises one idiom family and names the Step Functions feature it maps to.
// Each rule lives in rules/<id>/ with its module (metadata + recogniser), README.md and fixtures/.

export interface RuleMeta<M extends string = string> {
  id: string;
  title: string;
  description: string;
  /** The Step Functions feature the idiom becomes, e.g. "arn:aws:states:::dynamodb:getItem" or "Choice state". */
  stepFunctionsFeature: string;
  /** Link to the rule's README (relative to the package root). */
  docs: string;
  /** Templates of the messages the rule reports, keyed by message id; `{{name}}` is filled in when it reports one. */
  messages: Readonly<Record<M, string>>;
}

export function ruleDocs(id: string): string {
  return `rules/${id}/README.md`;
}
