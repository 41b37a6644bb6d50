// The shapes of verify's input files, as JSON schemas: a file of the wrong shape is refused before anything runs,
// with the place and the problem, instead of failing (or hanging) later inside the emulators.
const object = { type: 'object' } as const;
const list = (items: object) => ({ type: 'array', items }) as const;

export const EVENTS_SCHEMA = list({
  type: 'object',
  required: ['event'],
  properties: { name: { type: 'string' }, file: { type: 'string' }, export: { type: 'string' }, compare: { enum: ['status'] } },
});

export const TABLES_SCHEMA = list({
  type: 'object',
  required: ['TableName', 'KeySchema'],
  properties: {
    TableName: { type: 'string', minLength: 1 },
    KeySchema: list({ type: 'object', required: ['AttributeName', 'KeyType'], properties: { AttributeName: { type: 'string' }, KeyType: { enum: ['HASH', 'RANGE'] } } }),
    AttributeDefinitions: list({ type: 'object', required: ['AttributeName', 'AttributeType'], properties: { AttributeName: { type: 'string' }, AttributeType: { enum: ['S', 'N', 'B'] } } }),
    items: list(object),
  },
});

export const ENV_SCHEMA = { type: 'object', additionalProperties: { type: 'string' } } as const;

const HTTP_ROUTES = list({ type: 'object', required: ['method', 'path', 'responses'], properties: { method: { type: 'string' }, path: { type: 'string' }, responses: list(object) } });

export const STUBS_SCHEMA = {
  oneOf: [
    HTTP_ROUTES,
    {
      type: 'object',
      additionalProperties: false,
      properties: {
        http: HTTP_ROUTES,
        lambda: list({ type: 'object', required: ['functionName', 'responses'], properties: { functionName: { type: 'string' }, responses: list(object) } }),
        bedrock: list(object),
        aws: list(object),
        timerScale: { type: 'number', exclusiveMinimum: 0 },
      },
    },
  ],
} as const;
