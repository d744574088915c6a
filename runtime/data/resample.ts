/** Pixels in row-major, channel-interleaved order (HWC): `width * height * channels` values. */
export interface Pixels {
  data: ArrayLike<number>;
  width: number;
  height: number;
  channels: number;
}

/** A rectangle of an image in pixel units; fractional edges are allowed. */
export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * Resamples `box` of `source` (the whole image by default) to `width` x `height`: each output pixel,
 * per channel, is the mean of the source area it covers, partly covered pixels counted by their share.
 * Shrinking this way averages away detail instead of aliasing it (what a photo shrunk for a CNN needs);
 * enlarging repeats pixels, blending at their edges. Runs in browsers, workers and Node.
 */
export function resampleArea(source: Pixels, width: number, height: number, box: Box = { left: 0, top: 0, width: source.width, height: source.height }): Float32Array {
  const { data, channels } = source;
  const stride = source.width * channels;
  const out = new Float32Array(width * height * channels);
  const stepX = box.width / width;
  const stepY = box.height / height;
  const right = box.left + box.width;
  const bottom = box.top + box.height;
  const area = stepX * stepY;
  for (let y = 0; y < height; y++) {
    const y0 = box.top + y * stepY;
    const y1 = Math.min(bottom, y0 + stepY);
    for (let x = 0; x < width; x++) {
      const x0 = box.left + x * stepX;
      const x1 = Math.min(right, x0 + stepX);
      const at = (y * width + x) * channels;
      for (let sy = Math.floor(y0); sy < y1; sy++) {
        const coverY = Math.min(y1, sy + 1) - Math.max(y0, sy);
        if (coverY <= 0) continue;
        for (let sx = Math.floor(x0); sx < x1; sx++) {
          const cover = (Math.min(x1, sx + 1) - Math.max(x0, sx)) * coverY;
          if (cover <= 0) continue;
          const from = sy * stride + sx * channels;
          for (let c = 0; c < channels; c++) out[at + c]! += data[from + c]! * cover;
        }
      }
      for (let c = 0; c < channels; c++) out[at + c]! /= area;
    }
  }
  return out;
}
