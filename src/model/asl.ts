// The shape of an Amazon States Language definition as the emitters build it and the report carries it.
export type AslDefinition = Record<string, unknown> & { StartAt: string; States: Record<string, AslState> };
export type AslState = Record<string, unknown> & { Type: string };
