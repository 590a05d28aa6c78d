// Emergencies a listener read without a position (an SOS sent without a GPS fix, ATAK's cancel at 0,0):
// raised once the fixes read with them are stored, so the last known position they give is the newest.
import type { FastifyBaseLogger } from 'fastify';
import type { PositionlessEmergency } from '../../model/index.js';
import type { Pipeline } from '../../live/index.js';

/** Raises each emergency in turn; a failure is logged with where it came from, and the next one still goes. */
export async function raiseEmergencies(pipeline: Pipeline, emergencies: readonly PositionlessEmergency[], place: object, log: FastifyBaseLogger): Promise<void> {
  for (const emergency of emergencies) {
    log.warn({ ...place, unit: emergency.unit, emergency: emergency.emergency, reason: emergency.reason }, 'an emergency without a position');
    try {
      await pipeline.emergencyWithoutPosition(emergency);
    } catch (e) {
      log.error({ err: e, ...place, unit: emergency.unit }, 'an emergency without a position could not be stored');
    }
  }
}
