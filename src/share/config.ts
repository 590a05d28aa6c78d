// The partners file as data: one schema (TypeBox, so the same declaration validates and documents it),
// the defaults the issue sets, and the normalised form the rest of src/share uses.
import { Type, type Static } from '@sinclair/typebox';

/** The alert kinds a policy may share: the line's, and a unit's emergency (an SOS near the line, so the other side knows what it sees). */
export const SHARED_ALERT_KINDS = ['approach', 'crossing', 'proximity', 'emergency', 'emergency-cancelled'] as const;
export type SharedAlertKind = (typeof SHARED_ALERT_KINDS)[number];

/** Tag that keeps a unit out of every partner's view, whatever the policy says. */
export const WITHHELD_TAG = 'withheld';

const Name = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$' });
const Tag = Type.String({ minLength: 1, maxLength: 64 });
const FileName = Type.String({ minLength: 1, maxLength: 4096 });

const PolicySchema = Type.Object({
  boundary_within_m: Type.Optional(Type.Number({ minimum: 0, maximum: 1_000_000 })),
  grid_m: Type.Optional(Type.Union([Type.Null(), Type.Number({ minimum: 1, maximum: 100_000 })])),
  delay_s: Type.Optional(Type.Number({ minimum: 0, maximum: 86_400 })),
  alerts: Type.Optional(Type.Object({
    kinds: Type.Optional(Type.Array(Type.Union(SHARED_ALERT_KINDS.map((k) => Type.Literal(k))), { maxItems: SHARED_ALERT_KINDS.length, uniqueItems: true })),
    position: Type.Optional(Type.Boolean()),
  }, { additionalProperties: false })),
  withhold_tags: Type.Optional(Type.Array(Tag, { maxItems: 100 })),
}, { additionalProperties: false });

const LinkUrl = Type.String({ pattern: '^wss?://', maxLength: 2048 });

const PartnerSchema = Type.Object({
  name: Name,
  // One address, or several (the nodes of a partner whose links may run on any of them), tried in turn.
  url: Type.Optional(Type.Union([LinkUrl, Type.Array(LinkUrl, { minItems: 1, maxItems: 8 })])),
  secret: Type.Optional(Type.String({ minLength: 16, maxLength: 1024 })),
  secret_file: Type.Optional(FileName),
  lang: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('es')])),
  policy: Type.Optional(PolicySchema),
}, { additionalProperties: false });

const TlsSchema = Type.Object({ cert: FileName, key: FileName, ca: FileName }, { additionalProperties: false });

export const ShareFileSchema = Type.Object({
  org: Type.Optional(Name),
  lang: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('es')])),
  link: Type.Optional(Type.Object({
    host: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
    tls: Type.Optional(TlsSchema),
    reconnect_min_ms: Type.Optional(Type.Integer({ minimum: 10, maximum: 600_000 })),
    reconnect_max_ms: Type.Optional(Type.Integer({ minimum: 10, maximum: 3_600_000 })),
  }, { additionalProperties: false })),
  units: Type.Optional(Type.Record(Type.String({ minLength: 1, maxLength: 256 }), Type.Array(Tag, { maxItems: 100 }))),
  proximity: Type.Optional(Type.Object({
    distance_m: Type.Optional(Type.Number({ minimum: 0, maximum: 100_000 })),
    boundary_m: Type.Optional(Type.Number({ minimum: 0, maximum: 1_000_000 })),
  }, { additionalProperties: false })),
  partners: Type.Array(PartnerSchema, { maxItems: 100 }),
}, { additionalProperties: false });
export type ShareFile = Static<typeof ShareFileSchema>;

/** What the home side lets one partner see. */
export interface SharingPolicy {
  /** Share a unit only while it is within this distance of the boundary, metres. Default 2,000. */
  boundaryWithinM: number;
  /** Snap shared positions to the centre of a grid cell of this size, metres; null for exact positions. */
  gridM: number | null;
  /** Nothing about a unit leaves before this long after its fix, seconds. Default 0. */
  delayS: number;
  /** Alert kinds shared (default none), and whether they carry a (coarsened) position. */
  alerts: { kinds: SharedAlertKind[]; position: boolean };
  /** Units with any of these tags are never shared with this partner; "withheld" is always among them. */
  withholdTags: string[];
}

export interface PartnerConfig {
  /** The partner's organisation name, as its server announces itself. */
  name: string;
  /** Where to dial the partner's link (ws:// or wss://), the first of `urls`; null to wait for the partner to dial in. */
  url: string | null;
  /** Every address to dial, tried in turn (a partner on several nodes); empty to wait for the partner to dial in. */
  urls: string[];
  secret: string;
  lang: 'en' | 'es';
  policy: SharingPolicy;
}

export interface ShareConfig {
  /** The partners file it was read from (absent when given as data). */
  file?: string;
  /** The home organisation. */
  org: string;
  lang: 'en' | 'es';
  link: {
    host: string;
    /** 0 picks a free port. */
    port: number;
    /** Mutual TLS: this server's certificate and key (PEM), and the CA partners' certificates must chain to. */
    tls: { cert: string; key: string; ca: string } | null;
    reconnectMinMs: number;
    reconnectMaxMs: number;
  };
  /** Home unit id (or prefix ending in "*") → tags. */
  unitTags: Map<string, string[]>;
  proximity: { distanceM: number; boundaryM: number };
  partners: PartnerConfig[];
}

export const DEFAULT_POLICY: Readonly<SharingPolicy> = {
  boundaryWithinM: 2000,
  gridM: null,
  delayS: 0,
  alerts: { kinds: [], position: false },
  withholdTags: [WITHHELD_TAG],
};

export const DEFAULT_LINK_PORT = 9190;

/** The policy with the defaults filled in. */
export function normalisePolicy(p: Static<typeof PolicySchema> | undefined): SharingPolicy {
  const tags = new Set([WITHHELD_TAG, ...(p?.withhold_tags ?? [])]);
  return {
    boundaryWithinM: p?.boundary_within_m ?? DEFAULT_POLICY.boundaryWithinM,
    gridM: p?.grid_m ?? null,
    delayS: p?.delay_s ?? 0,
    alerts: { kinds: [...(p?.alerts?.kinds ?? [])], position: p?.alerts?.position ?? false },
    withholdTags: [...tags],
  };
}

/** The policy as the API and the dashboard show it (snake_case, like the file). */
export function policyJson(p: SharingPolicy) {
  return {
    boundary_within_m: p.boundaryWithinM,
    grid_m: p.gridM,
    delay_s: p.delayS,
    alerts: { kinds: p.alerts.kinds, position: p.alerts.position },
    withhold_tags: p.withholdTags,
  };
}

/** Tags of a home unit: exact entries, and entries ending in "*" that match as a prefix. */
export function tagsOf(unitTags: ReadonlyMap<string, string[]>, unit: string): string[] {
  const exact = unitTags.get(unit);
  const out = exact ? [...exact] : [];
  for (const [key, tags] of unitTags) {
    if (key.endsWith('*') && unit.startsWith(key.slice(0, -1))) out.push(...tags);
  }
  return out;
}
