/** Where the generated ATR pack and its doc live. */
export const ATR_PACK_JSON = 'functions/engine/rules/packs/atr/atr-pack.json';
export const ATR_PACK_DOC = 'docs/atr-pack.md';
