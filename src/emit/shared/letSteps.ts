import type { Step } from '../../model/workflow.js';

/** Every `let` in `steps` and the blocks nested in them; Map bodies (their own iterations) only with `intoMaps`. */
export function letSteps(steps: Step[], intoMaps: boolean): Array<Extract<Step, { kind: 'let' }>> {
  const lets: Array<Extract<Step, { kind: 'let' }>> = [];
  const collect = (list: Step[]): void => {
    for (const s of list) {
      if (s.kind === 'let') lets.push(s);
      else if (s.kind === 'if') collect([...s.then, ...s.else]);
      else if (s.kind === 'switch') collect([...s.cases.flatMap((c) => c.body), ...s.default]);
      else if (s.kind === 'try') collect([...s.body, ...s.catchers.flatMap((c) => c.body)]);
      else if (s.kind === 'poll' || (s.kind === 'map' && intoMaps)) collect(s.body);
    }
  };
  collect(steps);
  return lets;
}
