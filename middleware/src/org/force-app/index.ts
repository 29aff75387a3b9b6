export { ForceAppError, type ForceAppProblem } from './force-app-error.js';
export { readForceAppSchema } from './read-force-app-schema.js';
export { readModelSource } from './read-model-source.js';
