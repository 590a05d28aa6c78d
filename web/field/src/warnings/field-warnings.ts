// The warnings of field mode: the server's per-unit rules (src/rules UnitRules, with their hysteresis)
// run on the phone's own fixes, plus one rule the phone needs and the server does not: "no longer certain".
import type { Determination } from '../../../../src/geo/index.js';
import type { Fix } from '../../../../src/model/index.js';
import { type Alert } from '../../../../src/model/index.js';
import { DEFAULT_RULE_OPTIONS, rearmMarginM, UnitRules, type RuleOptions } from '../../../../src/rules/index.js';
import { UncertainRule } from './uncertain-rule.js';

export type FieldWarningKind = 'approach' | 'uncertain' | 'side-change' | 'entered-strip' | 'left-strip';

export interface FieldWarning {
  kind: FieldWarningKind;
  /** Device time of the fix that raised it, ms since epoch. */
  timeMs: number;
  determination: Determination;
}

export interface FieldWarningOptions {
  warningDistanceM: number;
}

const FIELD_UNIT = 'field';

/** Feeds one device's fixes, in order, through the alert rules and says what to warn about. */
export class FieldWarnings {
  private readonly ruleOptions: Required<RuleOptions>;
  private readonly rules: UnitRules;
  private readonly uncertain: UncertainRule;
  /** The last crossing warned about, while it is awaiting its confirmation. */
  private unconfirmedCrossing: { from: string; to: string } | null = null;

  constructor(options: FieldWarningOptions) {
    this.ruleOptions = { ...DEFAULT_RULE_OPTIONS, warningDistanceM: options.warningDistanceM };
    this.rules = new UnitRules(FIELD_UNIT, this.ruleOptions);
    this.uncertain = new UncertainRule(this.ruleOptions);
  }

  observe(fix: Fix, determination: Determination): FieldWarning[] {
    const warnings: FieldWarning[] = [];
    const warn = (kind: FieldWarningKind) => warnings.push({ kind, timeMs: fix.time, determination });
    this.forgetAbandonedCrossing(determination);
    for (const alert of this.rules.observe(fix, determination)) {
      if (alert.kind === 'crossing') {
        if (this.isConfirmationOfWarnedCrossing(alert)) continue;
        warn('side-change');
      } else if (alert.kind === 'approach' || alert.kind === 'entered-strip' || alert.kind === 'left-strip') {
        warn(alert.kind);
      }
    }
    if (this.uncertain.observe(determination)) warn('uncertain');
    return warnings;
  }

  /**
   * The rules raise an early, unconfirmed crossing and later its confirmation beyond 3σ: one real crossing.
   * The person is warned at the first of the two only.
   */
  private isConfirmationOfWarnedCrossing(alert: Alert): boolean {
    const previous = this.unconfirmedCrossing;
    this.unconfirmedCrossing = alert.confirmed ? null : { from: alert.from!, to: alert.to! };
    return alert.confirmed === true && previous !== null && previous.from === alert.from && previous.to === alert.to;
  }

  /** Back on the side it came from beyond the re-arming margin, as the crossing rule re-arms: the early crossing did not happen. */
  private forgetAbandonedCrossing(det: Determination): void {
    const crossing = this.unconfirmedCrossing;
    if (crossing && det.territory === crossing.from && det.boundary.distanceM > rearmMarginM(this.ruleOptions, det.accuracyM)) {
      this.unconfirmedCrossing = null;
    }
  }
}
