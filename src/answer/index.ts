export { whereJson, whereJsonText, type WhereJson } from './where-json.js';
export { whereSentence, compassPoint, territoryName, formatDistance, type Lang } from './sentence.js';
