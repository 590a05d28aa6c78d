// The incidents and evidence API, as one Fastify plugin registered under /api/v1. Registering it also
// starts what the evidence needs on the server: the signing key (created on first start), periodic
// signed checkpoints. (The rule that opens incidents from alerts is the live flow's: live/incident-rule.ts.)
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { Role } from '../trust/index.js';
import type { Layers } from '../geo/index.js';
import type { IncidentRule } from '../live/index.js';
import type { Store } from '../store/index.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLinderoError } from '../model/index.js';
import { Checkpointer } from './checkpoint.js';
import { incidentBundle, incidentEvidence, incidentReport } from './inquiry.js';
import { loadOrCreateEvidenceKey } from './keys.js';
import { recordLayers } from './layers-policy.js';
import { renderPdf } from './report/pdf.js';
import { incidentRequest } from './request.js';
import { CreateIncidentBody, ERROR_RESPONSES as ERRORS, EvidenceSchema, IdParams, IncidentSchema, KeySchema, NoteBody } from '../answer/schemas.js';
import { IncidentService } from './service.js';
import { evidenceJson, incidentJson } from './wire.js';

/** What the plugin needs from the server (its ServerContext has all of it). */
export interface IncidentsPluginOptions {
  store: Store;
  layers: Layers;
  defaultAccuracyM: number;
  /** The live rule that opens incidents from alerts (absent: only operators open them). */
  incidentRule?: Pick<IncidentRule, 'idle'>;
  /**
   * Checks that the request's operator has at least `role` (403 otherwise) and names them, for the record
   * of who opened an incident or wrote a note. Absent: every request may, unnamed (loopback tests).
   */
  authorize?: (request: FastifyRequest, role: Role) => { name: string };
  /** How often the chain head is signed, ms. Default 60 s. */
  checkpointEveryMs?: number;
}

function notFound(id: number): Error {
  return Object.assign(new Error(`there is no incident ${id}`), { statusCode: 404 });
}

/** The report's HTML printed to PDF in a folder of its own. */
async function reportPdf(html: string): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'lindero-report-'));
  try {
    writeFileSync(join(dir, 'report.html'), html);
    await renderPdf(join(dir, 'report.html'), join(dir, 'report.pdf'));
    return readFileSync(join(dir, 'report.pdf'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const incidentsRoutes: FastifyPluginAsyncTypebox<IncidentsPluginOptions> = async (app, ctx) => {
  const { store, layers } = ctx;
  const key = loadOrCreateEvidenceKey(store.file);
  app.log.info({ fingerprint: key.fingerprint, public_key_file: key.publicFile, created: key.created }, `evidence signing key ${key.fingerprint}`);
  await recordLayers(store, layers);
  const logError = (message: string) => (err: unknown) => app.log.error({ err }, message);
  const service = new IncidentService(store);
  // Incidents the live rule is opening from alerts just stored are listed once it has finished.
  const ruleIdle = () => ctx.incidentRule?.idle() ?? Promise.resolve();
  const checkpointer = new Checkpointer(store, key, logError('signing an evidence checkpoint failed'), ctx.checkpointEveryMs);
  checkpointer.start();
  app.addHook('onClose', async () => {
    await checkpointer.stop();
  });
  const options = { key, defaultAccuracyM: ctx.defaultAccuracyM };

  app.post('/incidents', {
    schema: { body: CreateIncidentBody, response: { 201: IncidentSchema, ...ERRORS } },
  }, async (request, reply) => {
    const by = ctx.authorize?.(request, 'operator').name;
    const incident = await service.open({ ...incidentRequest(request.body), ...(by ? { label: by } : {}) });
    return reply.code(201).send(incidentJson(incident));
  });

  app.get('/incidents', { schema: { response: { 200: Type.Object({ incidents: Type.Array(IncidentSchema) }), ...ERRORS } } }, async () => {
    await ruleIdle();
    return { incidents: (await service.list()).map(incidentJson) };
  });

  app.get('/incidents/:id', { schema: { params: IdParams, response: { 200: EvidenceSchema, ...ERRORS } } }, async (request) => {
    if (!(await service.get(request.params.id))) throw notFound(request.params.id);
    return evidenceJson(await incidentEvidence(store, layers, request.params.id, options));
  });

  app.post('/incidents/:id/notes', {
    schema: { params: IdParams, body: NoteBody, response: { 200: IncidentSchema, ...ERRORS } },
  }, async (request) => {
    const by = ctx.authorize?.(request, 'operator').name;
    if (!(await service.get(request.params.id))) throw notFound(request.params.id);
    return incidentJson(await service.note(request.params.id, request.body.text, by));
  });

  app.get('/incidents/:id/report', {
    schema: {
      params: IdParams,
      querystring: Type.Object({
        lang: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('es'), Type.Literal('both')])),
        format: Type.Optional(Type.Union([Type.Literal('html'), Type.Literal('pdf')], { description: 'pdf: printed on the server by Debian\'s chromium, as `lindero report --pdf`' })),
      }),
    },
  }, async (request, reply) => {
    const id = request.params.id;
    if (!(await service.get(id))) throw notFound(id);
    const lang = request.query.lang ?? 'both';
    const report = await incidentReport(store, layers, id, { ...options, langs: lang === 'both' ? ['en', 'es'] : [lang] });
    if (request.query.format !== 'pdf') return reply.type('text/html; charset=utf-8').send(report.html);
    let pdf: Buffer;
    try {
      pdf = await reportPdf(report.html);
    } catch (e) {
      // No chromium on this server (or it failed): the server's trouble, said as it is.
      if (!isLinderoError(e)) throw e;
      return reply.code(503).send({ error: { code: e.code, message: e.message } });
    }
    return reply.type('application/pdf').header('content-disposition', `inline; filename="incident-${id}-report.pdf"`).send(pdf);
  });

  app.get('/incidents/:id/bundle', { schema: { params: IdParams } }, async (request, reply) => {
    if (!(await service.get(request.params.id))) throw notFound(request.params.id);
    const bundle = await incidentBundle(store, layers, request.params.id, options);
    return reply.type('application/json').header('content-disposition', `attachment; filename="incident-${request.params.id}-bundle.json"`)
      .send(JSON.stringify(bundle, null, 1));
  });

  app.get('/evidence/key', { schema: { response: { 200: KeySchema, ...ERRORS } } }, async () => {
    const last = await store.latestCheckpoint();
    return {
      algorithm: 'Ed25519' as const, public_key: key.publicKeyPem, fingerprint: key.fingerprint,
      checkpoint: last ? { n: last.n, hash: last.hash.toString('hex'), signed: new Date(last.signedMs).toISOString() } : null,
    };
  });
};
