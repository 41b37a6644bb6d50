import { createRule } from '../../src/rules/createRule.js';

/** A pure expression with no ASL or intrinsic equivalent (a library call such as a Markdown renderer, string methods, epoch arithmetic) is extracted into a small function invoked with arn:aws:states:::lambda:invoke, while the DynamoDB and messaging calls move into the state machine. The finding is then partial. */
export const rule = createRule({
  meta: {
    id: 'residual-lambda',
    title: 'Pure computation kept in Lambda',
    description: 'A pure expression with no ASL or intrinsic equivalent (a library call such as a Markdown renderer, string methods, epoch arithmetic) is extracted into a small function invoked with arn:aws:states:::lambda:invoke, while the DynamoDB and messaging calls move into the state machine. The finding is then partial.',
    stepFunctionsFeature: 'arn:aws:states:::lambda:invoke',
    docs: 'rules/residual-lambda/README.md',
    messages: { kept: '{{why}}; kept in a small Lambda function (lambda:invoke): {{code}}' },
  },
});
