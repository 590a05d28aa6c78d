// geographiclib-mgrs 1.0.4 declares two variables `const` and then assigns them (transverse-mercator.mjs
// `latsign`, utility.mjs `p1`). Node only fails if those lines run (they do not for MGRS), but the bundler
// refuses the module outright. Declaring them `let` is the library's evident intent.
import type { Plugin } from 'vite';

const FIXES: { file: RegExp; from: string; to: string }[] = [
  { file: /geographiclib-mgrs[\\/]src[\\/]transverse-mercator\.mjs$/, from: 'const latsign = Math.sign(lat);', to: 'let latsign = Math.sign(lat);' },
  { file: /geographiclib-mgrs[\\/]src[\\/]utility\.mjs$/, from: 'const p1 = s.search(/[^0-9]/);', to: 'let p1 = s.search(/[^0-9]/);' },
];

export function patchGeographiclibMgrs(): Plugin {
  return {
    name: 'lindero-patch-geographiclib-mgrs',
    enforce: 'pre',
    transform(code, id) {
      const fix = FIXES.find((f) => f.file.test(id));
      if (!fix) return null;
      // A new release may have fixed (or moved) the line; then this patch must be looked at again.
      if (!code.includes(fix.from)) this.error(`${id}: expected "${fix.from}" to patch; check the geographiclib-mgrs release`);
      return { code: code.replace(fix.from, fix.to), map: null };
    },
  };
}
