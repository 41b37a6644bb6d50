// Path helpers shared by the infrastructure readers, the proposals and the commands.
import { relative } from 'node:path';

/**
 * A Lambda handler string as the Node.js runtime reads it: the file name ends at the first dot after the last slash,
 * the rest is the export (a dotted path names a nested property), e.g. `src/get.handler` → src/get, handler.
 */
export function splitHandler(handler: string): { module: string; exportName: string } {
  const slash = handler.lastIndexOf('/') + 1;
  const dot = handler.indexOf('.', slash);
  return dot < 0 ? { module: handler, exportName: '' } : { module: handler.slice(0, dot), exportName: handler.slice(dot + 1) };
}

/** A module path without its JavaScript/TypeScript extension. */
export function stripExt(p: string): string {
  return p.replace(/\.(?:[cm]?[jt]s|[jt]sx)$/, '');
}

/** `file` relative to `root` with forward slashes, or `file` itself when it lies outside `root`. */
export function relPath(root: string, file: string): string {
  const r = relative(root, file);
  return r && !r.startsWith('..') ? r.split('\\').join('/') : file;
}
