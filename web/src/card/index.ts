export { renderCard, cardLines, qrPayload, CARD_LANGS, type CardFacts, type CardLines } from './card.js';
export { loadCardFacts, parseCardQuery, NoPositionError, type CardQuery } from './load.js';
