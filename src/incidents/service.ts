// Incidents as operators see them: listed, opened by hand and noted. The rule that opens them from alerts
// is part of the live flow (live/incident-rule.ts).
import type { Store } from '../store/index.js';
import { foldIncidents, type NotedRecord, type OpenedRecord } from '../live/index.js';
import type { Incident, IncidentRequest } from './types.js';

export class IncidentService {
  constructor(private readonly store: Store) {}

  async list(): Promise<Incident[]> {
    return foldIncidents(await this.store.incidentRecords());
  }

  async get(id: number): Promise<Incident | null> {
    return foldIncidents(await this.store.incidentRecords(id))[0] ?? null;
  }

  /** Opens an incident for an operator (the request is already checked). */
  async open(request: IncidentRequest): Promise<Incident> {
    const record: OpenedRecord = {
      from_ms: request.fromMs, to_ms: request.toMs, units: [...new Set(request.units)], place: request.place ?? null, opened_by: 'operator',
    };
    if (request.note) record.note = request.note;
    if (request.label) record.label = request.label;
    const stored = await this.store.appendIncidentRecord({ incidentId: null, action: 'opened', record: { ...record } });
    return (await this.get(stored.incidentId))!;
  }

  async note(id: number, text: string, label?: string): Promise<Incident> {
    const record: NotedRecord = label ? { text, label } : { text };
    await this.store.appendIncidentRecord({ incidentId: id, action: 'noted', record: { ...record } });
    return (await this.get(id))!;
  }
}
