// `--assumed-accuracy M` or `--assumed-accuracy SOURCE=M,…`: the 1-sigma accuracy assumed for fixes that carry none.
import type { ClassifyOptions } from '../geo/index.js';
import { LinderoError } from '../model/index.js';
import { positiveNumber } from './args.js';

const SOURCES = ['cot', 'osmand', 'owntracks', 'nmea', 'json', 'inreach', 'file'];

/** The classify options the flag sets; none when it is absent. */
export function assumedAccuracyOptions(value: string | undefined): ClassifyOptions | undefined {
  if (value === undefined) return undefined;
  if (!value.includes('=')) return { defaultAccuracyM: positiveNumber(value, 'assumed-accuracy', 0) };
  const bySource: Record<string, number> = {};
  for (const pair of value.split(',')) {
    const [source, metres, extra] = pair.split('=');
    if (extra !== undefined || !SOURCES.includes(source)) {
      throw new LinderoError('usage', `--assumed-accuracy takes M or SOURCE=M pairs (SOURCE one of ${SOURCES.join(', ')}), not ${JSON.stringify(pair)}`, { field: 'assumed-accuracy' });
    }
    bySource[source] = positiveNumber(metres, 'assumed-accuracy', 0);
  }
  return { assumedAccuracyBySourceM: bySource };
}
