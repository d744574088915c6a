import { describe, expect, it } from 'vitest';
import { DRAWING_SIDE, SHAPE_BOX, toDrawingPixels, type ImageLike } from '@/components/lesson/drawingPreprocess';

type Rgba = [number, number, number, number];

/** An RGBA image filled with `background`, as a canvas's getImageData gives it. */
function canvas(width: number, height: number, background: Rgba = [0, 0, 0, 255]) {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set(background, i * 4);
  const image: ImageLike = { data, width, height };
  return {
    image,
    fill(left: number, top: number, w: number, h: number, colour: Rgba = [255, 255, 255, 255]) {
      for (let y = top; y < top + h; y++) for (let x = left; x < left + w; x++) data.set(colour, (y * width + x) * 4);
      return this;
    },
  };
}

/** The output's ink as rows of '#' (255), '+' (some ink) and '.' (none), for readable failures. */
function picture(pixels: Uint8Array): string[] {
  const rows: string[] = [];
  for (let y = 0; y < DRAWING_SIDE; y++) {
    let row = '';
    for (let x = 0; x < DRAWING_SIDE; x++) {
      const v = pixels[y * DRAWING_SIDE + x]!;
      row += v === 255 ? '#' : v > 0 ? '+' : '.';
    }
    rows.push(row);
  }
  return rows;
}

function inkBox(pixels: Uint8Array) {
  let left = DRAWING_SIDE, top = DRAWING_SIDE, right = -1, bottom = -1;
  for (let y = 0; y < DRAWING_SIDE; y++) {
    for (let x = 0; x < DRAWING_SIDE; x++) {
      if (pixels[y * DRAWING_SIDE + x]! > 0) {
        left = Math.min(left, x);
        right = Math.max(right, x);
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
      }
    }
  }
  return { left, top, width: right - left + 1, height: bottom - top + 1 };
}

function centreOfMass(pixels: Uint8Array) {
  let mass = 0, x = 0, y = 0;
  pixels.forEach((v, i) => {
    mass += v;
    x += ((i % DRAWING_SIDE) + 0.5) * v;
    y += (Math.floor(i / DRAWING_SIDE) + 0.5) * v;
  });
  return { x: x / mass, y: y / mass };
}

describe('toDrawingPixels (MNIST-style preprocessing)', () => {
  it('returns null for a blank drawing and for an image without contrast', () => {
    expect(toDrawingPixels(canvas(280, 280).image)).toBeNull();
    expect(toDrawingPixels(canvas(50, 50, [128, 128, 128, 255]).fill(10, 10, 5, 5, [140, 140, 140, 255]).image)).toBeNull();
    expect(toDrawingPixels({ data: new Uint8ClampedArray(0), width: 0, height: 0 })).toBeNull();
  });

  it('crops to the bounding box, scales the longer side to 20 keeping the aspect ratio, and centres the shape in 28x28', () => {
    // A 100x50 block in the top-left corner of a 280x280 drawing: 20x10 in the output, centred.
    const pixels = toDrawingPixels(canvas(280, 280).fill(0, 0, 100, 50).image)!;
    expect(pixels).toHaveLength(DRAWING_SIDE * DRAWING_SIDE);
    expect(inkBox(pixels)).toEqual({ left: 4, top: 9, width: SHAPE_BOX, height: 10 });
    const rows = picture(pixels);
    expect(rows[9]).toBe('....####################....');
    expect(rows[18]).toBe('....####################....');
    expect(rows[8]).toBe('.'.repeat(28));
    expect(rows[19]).toBe('.'.repeat(28));
  });

  it('keeps a tall shape tall: 10x60 becomes 3x20', () => {
    const pixels = toDrawingPixels(canvas(280, 280).fill(200, 100, 10, 60).image)!;
    const box = inkBox(pixels);
    expect(box.height).toBe(SHAPE_BOX);
    expect(box.width).toBe(3);
    expect(box.top).toBe(4);
  });

  it('places the centre of mass at the centre of the frame, not the centre of the box', () => {
    // A heavy square with a thin tail to its right: the box is 20 wide, the mass sits left of its middle.
    const pixels = toDrawingPixels(canvas(200, 200).fill(20, 40, 60, 60).fill(80, 65, 120, 10).image)!;
    const com = centreOfMass(pixels);
    expect(Math.abs(com.x - DRAWING_SIDE / 2)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(com.y - DRAWING_SIDE / 2)).toBeLessThanOrEqual(0.5);
    expect(inkBox(pixels).left).toBeGreaterThan(4); // moved right of where box-centring would put it
  });

  it('never pushes the shape out of the frame while centring its mass', () => {
    // Nearly all mass at the far left of a 20-wide box would want the shape shifted by more than 4.
    const image = canvas(210, 210).fill(0, 0, 20, 210).fill(20, 100, 190, 2).image;
    const pixels = toDrawingPixels(image)!;
    const box = inkBox(pixels);
    expect(box.left + box.width).toBeLessThanOrEqual(DRAWING_SIDE);
    expect(box.width).toBe(SHAPE_BOX);
    expect(box.height).toBe(SHAPE_BOX);
  });

  it('scales the strongest pixel to 255 and averages areas when shrinking (no aliasing holes)', () => {
    // A one-pixel-wide diagonal line: shrunk 10x it is faint everywhere, yet the result peaks at 255
    // and the line stays connected.
    const c = canvas(200, 200);
    for (let i = 0; i < 200; i++) c.fill(i, i, 1, 1);
    const pixels = toDrawingPixels(c.image)!;
    expect(Math.max(...pixels)).toBe(255);
    for (let d = 0; d < SHAPE_BOX; d++) expect(pixels[(4 + d) * DRAWING_SIDE + 4 + d]).toBeGreaterThan(0);
  });

  it('enlarges a small shape to fill the 20-pixel box', () => {
    const pixels = toDrawingPixels(canvas(28, 28).fill(3, 3, 5, 5).image)!;
    expect(inkBox(pixels)).toEqual({ left: 4, top: 4, width: SHAPE_BOX, height: SHAPE_BOX });
    expect(pixels.filter((v) => v === 255)).toHaveLength(SHAPE_BOX * SHAPE_BOX);
  });

  it('inverts dark ink on a light background (a photo of paper) into light ink on black', () => {
    const light = toDrawingPixels(canvas(120, 90, [255, 255, 255, 255]).fill(30, 20, 40, 40, [0, 0, 0, 255]).image);
    const dark = toDrawingPixels(canvas(120, 90).fill(30, 20, 40, 40).image);
    expect(light).toEqual(dark);
    expect(light![0]).toBe(0);
  });

  it('reads a picture with a transparent background by its opacity', () => {
    const transparent = toDrawingPixels(canvas(60, 60, [0, 0, 0, 0]).fill(10, 20, 30, 10, [0, 0, 0, 255]).image);
    const drawn = toDrawingPixels(canvas(60, 60).fill(10, 20, 30, 10).image);
    expect(transparent).toEqual(drawn);
  });

  it('ignores paper texture and noise around the shape', () => {
    const c = canvas(100, 100, [210, 205, 200, 255]);
    // Speckles a little darker than the paper, far from the shape.
    for (const [x, y] of [[2, 3], [95, 90], [50, 97], [97, 5]] as const) c.fill(x, y, 1, 1, [185, 185, 185, 255]);
    c.fill(40, 30, 20, 40, [30, 30, 40, 255]);
    const pixels = toDrawingPixels(c.image)!;
    expect(inkBox(pixels)).toEqual({ left: 9, top: 4, width: 10, height: SHAPE_BOX });
  });

  it('accepts single-channel grayscale input', () => {
    const data = new Uint8Array(40 * 40);
    for (let y = 10; y < 30; y++) for (let x = 15; x < 25; x++) data[y * 40 + x] = 255;
    const grey = toDrawingPixels({ data, width: 40, height: 40, channels: 1 });
    const rgba = toDrawingPixels(canvas(40, 40).fill(15, 10, 10, 20).image);
    expect(grey).toEqual(rgba);
  });

  it('rejects data too short for the stated size', () => {
    expect(() => toDrawingPixels({ data: new Uint8ClampedArray(10), width: 4, height: 4, channels: 4 })).toThrow(RangeError);
  });
});
