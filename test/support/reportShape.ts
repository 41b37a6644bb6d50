// The shape of the JSON report as src/report/types.ts declares it, read with the TypeScript checker: every
// interface reachable from ScanReport, each with its fields (nested anonymous objects as dotted paths).
// docs/report.md is checked against this, so the document cannot drift from the types.
import { join } from 'node:path';
import { Project, type Type } from 'ts-morph';

export interface ShapeField {
  path: string;
  optional: boolean;
  /** JSDoc of the declaration, when it has one. */
  doc: string;
  /** The type as written (for the draft of a new section). */
  typeText: string;
}

export function reportShape(repoRoot: string): Map<string, ShapeField[]> {
  const project = new Project({ tsConfigFilePath: join(repoRoot, 'tsconfig.json'), skipAddingFilesFromTsConfig: true });
  const file = project.addSourceFileAtPath(join(repoRoot, 'src', 'report', 'types.ts'));
  project.resolveSourceFileDependencies();
  const root = file.getInterfaceOrThrow('ScanReport').getType();
  const sections = new Map<string, ShapeField[]>();
  const queue: Type[] = [root];
  while (queue.length) {
    const t = queue.shift()!;
    const name = t.getSymbol()!.getName();
    if (sections.has(name)) continue;
    const fields: ShapeField[] = [];
    sections.set(name, fields);
    collect(t, '', fields, queue);
  }
  return sections;
}

/** The object types a field's type leads to: itself, an array's element, each member of a union. */
function objectParts(t: Type): Type[] {
  if (t.isArray()) return objectParts(t.getArrayElementTypeOrThrow());
  if (t.isUnion()) return t.getUnionTypes().flatMap(objectParts);
  // Maps (Record<string, …>) and the ASL definition (an intersection with one) are values, not fields.
  if (!t.isObject() || t.isIntersection() || t.getStringIndexType() || t.getCallSignatures().length) return [];
  return [t];
}

function collect(t: Type, prefix: string, fields: ShapeField[], queue: Type[]): void {
  for (const prop of t.getProperties()) {
    const decl = prop.getValueDeclarationOrThrow();
    const propType = prop.getTypeAtLocation(decl);
    const path = prefix + prop.getName();
    const docs = 'getJsDocs' in decl ? (decl as unknown as { getJsDocs(): Array<{ getDescription(): string }> }).getJsDocs() : [];
    const typeNode = 'getTypeNode' in decl ? (decl as unknown as { getTypeNode(): { getText(): string } | undefined }).getTypeNode() : undefined;
    fields.push({
      path,
      optional: prop.isOptional(),
      doc: docs.map((d) => d.getDescription().trim().replace(/\s+/g, ' ')).join(' '),
      typeText: (typeNode?.getText() ?? propType.getText()).replace(/\s+/g, ' '),
    });
    for (const part of objectParts(propType)) {
      if (part.isInterface()) queue.push(part);
      else collect(part, `${path}.`, fields, queue);
    }
  }
}
