// Prettier, loaded only when a proposal is built, so the files read like a hand-made change.
type Parser = 'json' | 'yaml' | 'typescript' | 'babel';

let prettier: typeof import('prettier') | undefined;

export async function formatCode(text: string, parser: Parser): Promise<string> {
  prettier ??= await import('prettier');
  return prettier.format(text, { parser, printWidth: 120, singleQuote: parser === 'typescript' || parser === 'babel', proseWrap: 'preserve' });
}
