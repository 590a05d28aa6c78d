export type { Alert, AlertKind } from './types.js';
