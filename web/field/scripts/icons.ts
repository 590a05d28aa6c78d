// The home-screen icons, drawn at build time: two territories and the line between them.
// PNG because installability wants raster icons of 192 and 512 px, and iOS reads only PNG.
import { PNG } from 'pngjs';

type Rgb = [number, number, number];
const US: Rgb = [0x1d, 0x4e, 0xd8];
const MX: Rgb = [0xc2, 0x41, 0x0c];
const LINE: Rgb = [0xff, 0xff, 0xff];

/** A square icon: the north-west half one territory, the south-east half the other, a white line between. */
export function drawIcon(sizePx: number): Buffer {
  const png = new PNG({ width: sizePx, height: sizePx });
  const halfWidth = sizePx * 0.045;
  for (let y = 0; y < sizePx; y++) {
    for (let x = 0; x < sizePx; x++) {
      // A gently waving line, like a river boundary, crossing the icon corner to corner.
      const wave = Math.sin((x / sizePx) * Math.PI * 2) * sizePx * 0.06;
      const offset = (y - (sizePx - x) - wave) / Math.SQRT2;
      const colour = Math.abs(offset) < halfWidth ? LINE : offset < 0 ? US : MX;
      const i = (y * sizePx + x) * 4;
      png.data[i] = colour[0];
      png.data[i + 1] = colour[1];
      png.data[i + 2] = colour[2];
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}
