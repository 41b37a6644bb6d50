// The generic DynamoDB marshaller/unmarshaller as JSONata: converts any JSON value to an
// AttributeValue and back inside a `{% … %}` expression, with the semantics of @aws-sdk/util-dynamodb's
// marshall/unmarshall defaults (what a handler using the DocumentClient gets). One place for the emitter.
//
// Numbers. DynamoDB N is a string. JSONata's $string keeps only 15 significant digits, so it is used only
// when it gives back the same number (then its text equals JavaScript's String(n)); integers up to 2^53-1
// that need 16 digits are printed in two exact halves. Beyond that the expressions raise an error
// (States.QueryEvaluationError), as the SDK does: marshall throws above Number.MAX_SAFE_INTEGER, and
// unmarshall turns such an N into a BigInt, which JSON cannot carry. A non-integer that needs 16-17
// significant digits also raises an error rather than writing a different number.
// Sets and binary. JSON has neither, so marshalling never produces SS/NS/BS/B. SS and NS read back as
// arrays (unmarshall gives a Set, which JSON.stringify would print as {}); B and BS raise an error.
//
// Every text here is a single line: asl-validator 4 rejects a multi-line `{% … %}`.
// It must parse with JSONata 2.0.6, the version Step Functions runs (no `??` or `?:` operators).

const MAX_SAFE = '9007199254740991';

/** Number → N string, exactly as JavaScript's String(n) (see the header for the limits). */
const NUMBER_TO_N = [
  `$l2sN := function($x){ $abs($x) > ${MAX_SAFE} ? $error('lambda2sfn: a number beyond 2^53-1 (about ' & $string($x) & ') cannot be written exactly')`,
  `: $number($string($x)) = $x ? $string($x)`,
  `: $x = $floor($x) ? ($lo := $abs($x) % 100000000; ($x < 0 ? '-' : '') & $string(($abs($x) - $lo) / 100000000) & $pad($string($lo), -8, '0'))`,
  `: $error('lambda2sfn: a number needing 16-17 significant digits (about ' & $string($x) & ') cannot be written exactly') }`,
].join(' ');

/** N string → number; an N beyond 2^53-1 raises an error. */
const N_TO_NUMBER = `$l2sNum := function($s){ ($n := $number($s); $abs($n) > ${MAX_SAFE} ? $error('lambda2sfn: the DynamoDB number ' & $s & ' is beyond 2^53-1 and cannot be read exactly') : $n) }`;

const MARSHAL = [
  `$l2sMarshal := function($v){ ($t := $type($v);`,
  `$t = 'string' ? {'S': $v}`,
  `: $t = 'number' ? {'N': $l2sN($v)}`,
  `: $t = 'boolean' ? {'BOOL': $v}`,
  `: $t = 'null' ? {'NULL': true}`,
  `: $t = 'array' ? {'L': $reduce($v, function($acc, $e){ $append($acc, [$l2sMarshal($e)]) }, [])}`,
  `: $t = 'object' ? {'M': $l2sMarshalMap($v)}`,
  `: $error('lambda2sfn: cannot marshal a value of type ' & $t)) }`,
].join(' ');

const MARSHAL_MAP = `$l2sMarshalMap := function($o){ $merge([{}, $each($o, function($x, $k){ {$k: $l2sMarshal($x)} })]) }`;

// JSONata's array constructor splices a computed array into its parent; only a literal inner `[…]` nests.
const ONE_ELEMENT = `$l2sOne := function($r){ $type($r) = 'array' ? [[$r]] : [$r] }`;

const UNMARSHAL = [
  `$l2sUnmarshal := function($a){`,
  `$exists($a.S) ? $a.S`,
  `: $exists($a.N) ? $l2sNum($a.N)`,
  `: $exists($a.BOOL) ? $a.BOOL`,
  `: $exists($a.NULL) ? null`,
  `: $exists($a.M) ? $l2sUnmarshalMap($a.M)`,
  `: $exists($a.L) ? $reduce($a.L, function($acc, $e){ $append($acc, $l2sOne($l2sUnmarshal($e))) }, [])`,
  `: $exists($a.SS) ? $reduce($a.SS, function($acc, $e){ $append($acc, [$e]) }, [])`,
  `: $exists($a.NS) ? $reduce($a.NS, function($acc, $e){ $append($acc, [$l2sNum($e)]) }, [])`,
  `: $error('lambda2sfn: cannot unmarshal ' & $string($a) & ' (binary values have no JSON form)') }`,
].join(' ');

const UNMARSHAL_MAP = `$l2sUnmarshalMap := function($m){ $merge([{}, $each($m, function($x, $k){ {$k: $l2sUnmarshal($x)} })]) }`;

/**
 * JSON.stringify as JSONata: `$string(object)` prints numbers with 15 significant digits, so numbers go through
 * $l2sN (exact, or an error). Object members keep their order; undefined members are already left out by JSONata.
 */
const JSON_TEXT = [
  `$l2sJson := function($v){ $exists($v) ? ($t := $type($v);`,
  `$t = 'string' ? $substring($string([$v]), 1, $length($string([$v])) - 2)`,
  `: $t = 'number' ? $l2sN($v)`,
  `: $t = 'boolean' ? ($v ? 'true' : 'false')`,
  `: $t = 'null' ? 'null'`,
  `: $t = 'array' ? '[' & $join($map($v, function($e){ $l2sJson($e) }), ',') & ']'`,
  `: $t = 'object' ? '{' & $join($map($keys($v), function($k){ $l2sJson($k) & ':' & $l2sJson($lookup($v, $k)) }), ',') & '}'`,
  `: $error('lambda2sfn: cannot write a value of type ' & $t & ' as JSON')) }`,
].join(' ');

/** The function definitions, for a block `( DEFINITIONS; … )`. The names start with $l2s to stay clear of workflow variables. */
export const DYNAMO_VALUE_FUNCTIONS = [NUMBER_TO_N, N_TO_NUMBER, ONE_ELEMENT, MARSHAL, MARSHAL_MAP, UNMARSHAL, UNMARSHAL_MAP].join('; ');

/** $l2sJson (exact JSON.stringify) with the number function it needs, for a block `( DEFINITIONS; … )`. */
export const JSON_TEXT_FUNCTIONS = [NUMBER_TO_N, JSON_TEXT].join('; ');

const block = (call: string) => `( ${DYNAMO_VALUE_FUNCTIONS}; ${call} )`;

/** JSONata (no delimiters) for one JSON value → its AttributeValue, e.g. {"S": "x"}. */
export function marshalValueExpression(valueExpression: string): string {
  return block(`$l2sMarshal(${valueExpression})`);
}

/** JSONata for a JSON object → an Item (attribute name → AttributeValue), as marshall(object). */
export function marshalItemExpression(objectExpression: string): string {
  return block(`$l2sMarshalMap(${objectExpression})`);
}

/** JSONata for one AttributeValue → its JSON value. */
export function unmarshalValueExpression(attributeValueExpression: string): string {
  return block(`$l2sUnmarshal(${attributeValueExpression})`);
}

/** JSONata for an Item → a JSON object, as unmarshall(item). */
export function unmarshalItemExpression(itemExpression: string): string {
  return block(`$l2sUnmarshalMap(${itemExpression})`);
}

/** A complete field value: `{% expression %}` (single line, spaces inside the delimiters). */
export function jsonataField(expression: string): string {
  if (/[\r\n]/.test(expression)) throw new Error('a JSONata field must be a single line (asl-validator rejects multi-line expressions)');
  return `{% ${expression} %}`;
}
