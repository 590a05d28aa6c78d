import type { ClassifyOptions, Layers } from '../geo/index.js';
import type { ShareService } from '../share/index.js';
import type { Store } from '../store/index.js';
import type { TrustRegistry } from '../trust/index.js';
import type { EventHub } from '../live/index.js';
import type { IncidentRule, Pipeline } from '../live/index.js';

/** What the HTTP routes share: the store, the layers, the pipeline and the live event hub. */
export interface ServerContext {
  store: Store;
  layers: Layers;
  pipeline: Pipeline;
  hub: EventHub;
  /** The rule that opens incidents from alerts. */
  incidentRule?: IncidentRule;
  classifyOptions?: ClassifyOptions;
  /** 1-sigma accuracy assumed by /where when the query gives none, metres (as `lindero where`). */
  defaultAccuracyM: number;
  /** Sharing with partner organisations (src/share), when configured. */
  share?: ShareService | null;
  /** Devices, operators and their credentials (absent in apps built without a server around them). */
  trust?: TrustRegistry;
}
