// The maps' churn scale under simulated color vision (Machado, Oliveira & Fernandes 2009, full
// severity, in linear RGB): its ends stay far apart in CIELAB for protan, deutan and tritan viewers.
// The red-to-green scale it replaced does not (its ends are 21 apart for a deutan viewer).
import assert from 'node:assert/strict';
import { churnRgb } from '../../../src/webview/colors';

type Rgb = readonly [number, number, number];
const VISION: Record<string, number[][]> = {
  typical: [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
  protan: [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
  deutan: [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.01182, 0.04294, 0.968881]],
  tritan: [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.3039]],
};

const linear = (c: number): number => { const x = c / 255; return x <= 0.04045 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; };

/** CIELAB (D65) of an sRGB color as a viewer with `vision` sees it. */
function seen(rgb: Rgb, vision: number[][]): [number, number, number] {
  const lin = rgb.map(linear);
  const [r, g, b] = vision.map((row) => Math.min(1, Math.max(0, row[0]! * lin[0]! + row[1]! * lin[1]! + row[2]! * lin[2]!))) as [number, number, number];
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, y = 0.2126 * r + 0.7152 * g + 0.0722 * b, z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const f = (t: number): number => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

const deltaE = (p: Rgb, q: Rgb, vision: number[][]): number => {
  const a = seen(p, vision), b = seen(q, vision);
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
};

function hsl(h: number, s: number, l: number): Rgb {
  const k = (n: number): number => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number): number => Math.round(255 * (l - a * Math.max(-1, Math.min(k(n) - 3, 9 - k(n), 1))));
  return [f(0), f(8), f(4)];
}

describe('webview churn color scale', () => {
  it('lost, middle and kept stay distinct for typical, protan, deutan and tritan vision', () => {
    const lost = churnRgb(0), middle = churnRgb(0.5), kept = churnRgb(1);
    for (const [name, vision] of Object.entries(VISION)) {
      assert.ok(deltaE(lost, kept, vision) > 60, `${name}: ends ${deltaE(lost, kept, vision).toFixed(1)} apart`);
      assert.ok(deltaE(lost, middle, vision) > 25, `${name}: lost vs middle ${deltaE(lost, middle, vision).toFixed(1)}`);
      assert.ok(deltaE(kept, middle, vision) > 25, `${name}: kept vs middle ${deltaE(kept, middle, vision).toFixed(1)}`);
    }
  });

  it('the criterion rejects the red-to-green scale it replaced', () => {
    const red = hsl(0, 0.7, 0.48), green = hsl(130, 0.7, 0.48);
    assert.ok(deltaE(red, green, VISION.deutan!) < 60, 'red and green ends look alike to a deutan viewer');
  });

  it('moves from lost to kept through the middle, clamping out-of-range values', () => {
    assert.deepEqual(churnRgb(0), [213, 94, 0]);
    assert.deepEqual(churnRgb(0.5), [153, 153, 153]);
    assert.deepEqual(churnRgb(1), [0, 114, 178]);
    assert.deepEqual(churnRgb(0.25), [183, 124, 77]);
    assert.deepEqual(churnRgb(-1), churnRgb(0));
    assert.deepEqual(churnRgb(2), churnRgb(1));
  });
});
