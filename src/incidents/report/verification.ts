// The report's verification section: whether the incident's records are intact and reach a signed
// checkpoint, with every hash a reader needs to check it again by other means.
import type { Lang } from '../../answer/index.js';
import { bundleRecords, CHAIN_RULE, MERKLE_RULE, type EvidenceBundle } from '../bundle.js';
import { describeRecord } from '../describe.js';
import type { BundleVerdict } from '../verify-bundle.js';
import { escapeHtml, isoUtc, label, paragraphs, type ReportLangs } from './text.js';

export interface VerificationInput {
  bundle: EvidenceBundle | null;
  verdict: BundleVerdict | null;
  /** Why there is no bundle (e.g. no checkpoint yet). */
  unavailable?: string;
}

function resultSentence(v: BundleVerdict, lang: Lang): string {
  const r = v.records;
  const signed = isoUtc(v.checkpoint.signedMs);
  if (!v.ok) return lang === 'es' ? `NO VERIFICADO: ${v.problem ?? ''}` : `NOT VERIFIED: ${v.problem ?? ''}`;
  if (lang === 'es') {
    return `Verificado: los ${r.fix + r.alert + r.incident} registros de este incidente (${r.fix} posiciones, ${r.alert} alertas, ${r.incident} registros del incidente) ` +
      `están intactos en la cadena de evidencia, entradas ${v.firstN} a ${v.lastN}, que lleva sin interrupción a la entrada ${v.checkpoint.n}, firmada el ${signed} con la clave ${v.checkpoint.fingerprint}.`;
  }
  return `Verified: the ${r.fix + r.alert + r.incident} records of this incident (${r.fix} positions, ${r.alert} alerts, ${r.incident} incident records) ` +
    `are intact in the evidence chain, entries ${v.firstN} to ${v.lastN}, which leads unbroken to entry ${v.checkpoint.n}, signed on ${signed} with key ${v.checkpoint.fingerprint}.`;
}

function howToCheck(lang: Lang, rule: string): string {
  if (lang === 'es') {
    return 'Con el paquete de evidencia de este incidente (lindero export) cualquiera puede repetir la comprobación sin lindero: ' +
      `${rule}. Con lindero: lindero verify paquete.json.`;
  }
  return 'With this incident\'s evidence bundle (lindero export) anyone can repeat the check without lindero: ' +
    `${rule}. With lindero: lindero verify bundle.json.`;
}

function hashTable(bundle: EvidenceBundle): string {
  const rows = bundleRecords(bundle).map((e) =>
    `<tr><td>${e.n}</td><td>${escapeHtml(describeRecord(e.kind, Number(e.record.id), e.record))}</td><td><code>${e.recordHash}</code></td></tr>`);
  return `<table class="hashes"><thead><tr><th>n</th><th></th><th>record_hash</th></tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

export function renderVerification(input: VerificationInput, langs: ReportLangs): string {
  const { bundle, verdict } = input;
  if (!bundle || !verdict) {
    const why = input.unavailable ?? '';
    return paragraphs((l) => (l === 'es' ? `No se pudo verificar: ${why}` : `Could not be verified: ${why}`), langs, 'verdict bad');
  }
  const cp = bundle.checkpoint;
  return [
    paragraphs((l) => resultSentence(verdict, l), langs, verdict.ok ? 'verdict ok' : 'verdict bad'),
    `<dl class="checkpoint"><dt>checkpoint n</dt><dd>${cp.n}</dd><dt>signed</dt><dd>${isoUtc(cp.signed_ms)}</dd>` +
      `<dt>hash</dt><dd><code>${cp.hash}</code></dd><dt>signature (Ed25519)</dt><dd><code>${escapeHtml(cp.signature)}</code></dd>` +
      (bundle.version === 1
        ? `<dt>chain before entry ${bundle.chain.start_n}</dt><dd><code>${bundle.chain.previous_hash}</code></dd>`
        : `<dt>tree head (entries 1 to ${cp.n})</dt><dd><code>${bundle.checkpoint.tree_root}</code></dd>`) +
      `<dt>key fingerprint</dt><dd><code>${escapeHtml(verdict.checkpoint.fingerprint)}</code></dd></dl>`,
    `<h3>${label('publicKey', langs)}</h3><pre>${escapeHtml(bundle.public_key)}</pre>`,
    `<h3>${label('recordHashes', langs)}</h3>`,
    hashTable(bundle),
    `<h3>${label('howToCheck', langs)}</h3>`,
    paragraphs((l) => howToCheck(l, bundle.version === 2 ? MERKLE_RULE : CHAIN_RULE), langs, 'small'),
  ].join('\n');
}
