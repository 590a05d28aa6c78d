// Parse and format positions: decimal degrees, DMS, MGRS and UTM.
export { parsePosition, MAX_POSITION_CHARS } from './parse-position.js';
export { formatMgrs, spaceMgrs, type MgrsFormatOptions } from './mgrs.js';
export { formatDecimal, formatDms } from './format.js';
export { toUtm, formatUtm } from './utm.js';
export { BAD_POSITION } from './position-error.js';
export { decimalStep, writtenCellM, POINT_CELL_M } from './written-cell.js';
export type { ParsedPosition, PositionForm, UtmCoordinate } from './types.js';
