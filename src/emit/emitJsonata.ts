// Entry point of the JSONata emitter (src/emit/jsonata/).
export { EVENT_VARIABLE, JsonataEmitter, emitJsonata } from './jsonata/emitter.js';
