export { whereJson, whereJsonText, writeWhereJson, ByteWriter, type EchoedNumbers, isCanonicalNumberText, roundedText, determinationJson, type WhereJson, type DeterminationJson } from './where-json.js';
export { whereSentence, compassPoint, territoryName, formatDistance, type Lang } from './sentence.js';
