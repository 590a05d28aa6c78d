/** A unit's accepted positions as [lon, lat] parts split at gaps, in flat growable arrays (16 bytes a fix). */
export class TrackLine {
  private coords = new Float64Array(1024);
  private length = 0;
  private readonly partStarts: number[] = [];

  add(lon: number, lat: number, newPart: boolean): void {
    if (newPart || this.partStarts.length === 0) this.partStarts.push(this.length);
    if (this.length + 2 > this.coords.length) {
      const grown = new Float64Array(this.coords.length * 2);
      grown.set(this.coords);
      this.coords = grown;
    }
    this.coords[this.length++] = lon;
    this.coords[this.length++] = lat;
  }

  /** Each part as flat lon, lat, lon, lat… (views into one array: nothing is copied). */
  parts(): Float64Array[] {
    return this.partStarts.map((start, i) => this.coords.subarray(start, i + 1 < this.partStarts.length ? this.partStarts[i + 1] : this.length));
  }
}
