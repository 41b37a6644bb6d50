// Handlers whose caller can only invoke a Lambda function (an API Gateway authorizer, a Cognito user pool trigger,
// a CloudFormation custom resource): recognised by the event fields they read or the event type they declare.
// A state machine cannot take their place whatever their body does, so they are a blocker, never a proposal.
import type * as t from '@babel/types';

interface Contract {
  what: string;
  why: string;
  fields: RegExp;
  type: RegExp;
}

const CONTRACTS: Contract[] = [
  {
    what: 'an API Gateway Lambda authorizer',
    why: 'API Gateway calls an authorizer as a Lambda function and reads its policy or isAuthorized answer; a state machine cannot be an authorizer',
    fields: /^(authorizationToken|methodArn|routeArn|identitySource)$/,
    type: /APIGateway\w*Authorizer\w*(Event|Handler)|APIGatewayAuthorizerResult/,
  },
  {
    what: 'a Cognito user pool trigger',
    why: 'Cognito invokes only Lambda functions for its triggers and reads the event it gets back',
    fields: /^(triggerSource|userPoolId|callerContext(\..*)?|request\.(userAttributes|validationData|clientMetadata|session|challengeName)(\..*)?)$/,
    type: /\w+TriggerEvent\b|\w+TriggerHandler\b|CognitoUserPool\w*Event/,
  },
  {
    what: 'a CloudFormation custom resource',
    why: 'CloudFormation invokes a Lambda function (or an SNS topic) for a custom resource and waits for the answer it PUTs to event.ResponseURL',
    fields: /^(RequestType|ResponseURL|LogicalResourceId|PhysicalResourceId)$/,
    type: /CloudFormationCustomResource\w*(Event|Handler)/,
  },
];

/** The blocker message when the handler serves a caller that can only invoke Lambda, from the fields it reads or its type. */
export function invocationContractProblem(eventFields: ReadonlySet<string>, typeText: string): string | undefined {
  for (const c of CONTRACTS) {
    const field = [...eventFields].find((f) => c.fields.test(f));
    const typed = c.type.exec(typeText)?.[0];
    if (field || typed) return `the handler is ${c.what} (${field ? `it reads event.${field}` : `its type is ${typed}`}): ${c.why}`;
  }
  return undefined;
}

/** The type annotation of the handler's event parameter, as written (empty when it has none). */
export function eventParamTypeText(fn: t.Node, text: string): string {
  const p = 'params' in fn && Array.isArray(fn.params) ? (fn.params[0] as t.Node | undefined) : undefined;
  const ann = p && 'typeAnnotation' in p ? (p.typeAnnotation as t.Node | null | undefined) : undefined;
  return ann ? text.slice(ann.start ?? 0, ann.end ?? 0) : '';
}
