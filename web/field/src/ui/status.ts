// The small print: GPS trouble, connection, offline readiness, reporting and which layers are in use.
import type { RejectedReport, ReportStatus } from '../report/reporter.js';
import type { ServerConnectionState } from '../report/server-connection.js';
import type { GpsProblem } from '../position/geolocation.js';
import { t } from '../i18n/i18n.js';
import { byId, setText } from './dom.js';

export interface StatusState {
  gps: GpsProblem | 'waiting' | 'ok';
  /** Whether a lindero server answers (not the browser's idea of "online"). */
  server: ServerConnectionState;
  offlineReady: boolean;
  report: ReportStatus;
  rejected: RejectedReport | null;
  boundaryFile: string | null;
  fenceFile: string | null;
  layersError: string | null;
}

export class StatusBar {
  readonly state: StatusState = {
    gps: 'waiting', server: 'checking', offlineReady: false, report: { state: 'off', queued: 0 }, rejected: null,
    boundaryFile: null, fenceFile: null, layersError: null,
  };

  update(change: Partial<StatusState>): void {
    Object.assign(this.state, change);
    this.render();
  }

  render(): void {
    const s = this.state;
    const gps = byId('gps-status');
    gps.hidden = s.gps === 'ok';
    gps.classList.toggle('problem', s.gps !== 'ok' && s.gps !== 'waiting');
    setText(gps, gpsText(s.gps));
    const net = byId('net-status');
    net.dataset.state = s.server;
    net.classList.toggle('offline', s.server === 'silent');
    setText(net, t(`net.${s.server}`));
    setText(byId('offline-status'), t(s.offlineReady ? 'app.offlineReady' : 'app.offlinePending'));
    const report = byId('report-status');
    report.dataset.state = s.report.state;
    report.dataset.queued = String(s.report.queued);
    setText(report, reportText(s.report) + (s.rejected ? ` · ${t('report.rejected', { count: s.rejected.count, reason: s.rejected.reason })}` : ''));
    setText(byId('layers-summary'), `${t('layers.boundary', { name: s.boundaryFile ?? t('layers.default') })} · ${s.fenceFile ? t('layers.fence', { name: s.fenceFile }) : t('layers.noFence')}`);
    // The OpenStreetMap credit belongs to the built-in boundary (ODbL 1.0 §4.3: credit where it is used).
    byId('credits').hidden = s.boundaryFile !== null;
    const layersError = byId('layers-error');
    layersError.hidden = s.layersError === null;
    setText(layersError, s.layersError ?? '');
  }
}

function gpsText(gps: StatusState['gps']): string {
  if (gps === 'ok') return '';
  if (gps === 'waiting') return t('gps.waiting');
  switch (gps.kind) {
    case 'unsupported': return t('gps.unsupported');
    case 'denied': return t('gps.denied');
    case 'timeout': return t('gps.timeout');
    case 'unavailable': return t('gps.unavailable', { message: gps.message });
  }
}

function reportText(r: ReportStatus): string {
  switch (r.state) {
    case 'off': return t('report.off');
    case 'sent': return t('report.sent');
    case 'sending': return t('report.queued', { count: r.queued });
    case 'unreachable': return t('report.unreachable', { count: r.queued });
    case 'refused': return t('report.refused', { status: r.status, message: r.message });
    case 'no-storage': return t('report.noStorage', { message: r.message });
  }
}
