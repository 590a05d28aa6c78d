// KMZ: a zip holding a root KML (doc.kml) and the files it refers to. GDAL, Google Earth and others write
// layers as separate KML files inside the archive, reached by <NetworkLink> from doc.kml; links to other
// entries of the same archive are followed (no network), each entry at most once.
import { posix } from 'node:path';
import type { Document } from '@xmldom/xmldom';
import { LinderoError } from '../model/index.js';
import { emptyKmlError, kmlFeatures, kmlNetworkLinks } from './kml.js';
import type { SourcedFeature } from './layer.js';
import { decodeText } from './text.js';
import { parseXml } from './xml-guard.js';
import { hasExtension, type SafeZip } from './zip.js';

/** Reads the KMZ's root KML and every KML in the archive it links to; throws 'layer-empty' when none has a placemark. */
export async function kmzFeatures(zip: SafeZip, names: string[], file: string): Promise<SourcedFeature[]> {
  const kmls = names.filter((name) => hasExtension(name, '.kml'));
  // Google's KML reference: the root is doc.kml, or else the first .kml file in the archive.
  const root = kmls.find((name) => name.toLowerCase() === 'doc.kml') ?? kmls[0];
  const features: SourcedFeature[] = [];
  const visited = new Set<string>();
  const queue = [root];
  let rootDoc: Document | undefined;
  while (queue.length > 0) {
    const name = queue.shift()!;
    if (visited.has(name)) continue;
    visited.add(name);
    const label = `${file} (${name})`;
    const doc = parseXml(decodeText(await zip.read(name), label), label);
    if (doc.documentElement!.localName !== 'kml') {
      throw new LinderoError('layer-format', `is XML with root element <${doc.documentElement!.localName}>, not KML`, { file: label, line: 1 });
    }
    rootDoc ??= doc;
    features.push(...kmlFeatures(doc, label));
    for (const href of kmlNetworkLinks(doc)) {
      const target = entryFor(href, name, names);
      if (target) queue.push(target);
    }
  }
  if (features.length === 0) throw emptyKmlError(rootDoc!, `${file} (${root})`);
  return features;
}

/** The archive entry a relative href names, resolved against the linking file's folder; undefined for anything else. */
function entryFor(href: string, from: string, names: string[]): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('/')) return undefined;
  let path: string;
  try {
    path = posix.normalize(posix.join(posix.dirname(from), decodeURIComponent(href.split(/[?#]/)[0])));
  } catch {
    return undefined;
  }
  return names.find((name) => name === path && hasExtension(name, '.kml'));
}
