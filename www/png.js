// PNG downloads at twice the canvas size, for slides: every view scales its text, lines and
// markers with its canvas (the toolkit's Style in src/plot/), so the figure is drawn again into a
// hidden canvas of twice the width and height and saved from there. `draw` wraps the module's
// draw_* functions (first argument: the canvas id) and remembers the last call per canvas.

import * as wasm from './pkg-single/pinchglass.js';

const last = new Map(); // canvas id → (otherId) => the same drawing into canvas otherId

export const draw = new Proxy(wasm, {
  get(target, name) {
    const f = target[name];
    if (typeof f !== 'function' || typeof name !== 'string' || !name.startsWith('draw_')) return f;
    return (id, ...args) => {
      last.set(id, (other) => f(other, ...args));
      return f(id, ...args);
    };
  },
});

// A data URL of canvas `id` drawn at `scale` × its size (its own pixels if it was not drawn
// through `draw`, or if the redraw fails).
export function pngDataUrl(id, scale = 2) {
  const src = document.getElementById(id);
  const redraw = last.get(id);
  if (!redraw) return src.toDataURL('image/png');
  const c = document.createElement('canvas');
  c.id = `${id}-png-x${scale}`;
  c.width = scale * src.width;
  c.height = scale * src.height;
  c.style.display = 'none';
  c.setAttribute('aria-hidden', 'true');
  document.body.append(c);
  try {
    redraw(c.id);
    return c.toDataURL('image/png');
  } catch {
    return src.toDataURL('image/png');
  } finally {
    c.remove();
  }
}

// Sizes a figure canvas for the screen: `w` × `h` where the window is wider than `w`; else (with
// `fit`) as wide as its box (at least 360 px) and of the same shape, and below 600 px wide 1.45
// times as tall as wide: the figures' code (two_panels in src/plot/toolkit.rs) then stacks its
// two panels one above the other instead of shrinking them side by side.
export function fitFigure(c, [w, h], fit = true) {
  let cw = w;
  if (fit && window.innerWidth < w) {
    const box = c.parentElement?.clientWidth || window.innerWidth - 24;
    cw = Math.max(360, Math.min(w, Math.floor(box)));
  }
  const ch = cw < 600 ? Math.round(cw * 1.45) : Math.round((cw * h) / w);
  if (c.width !== cw || c.height !== ch) {
    c.width = cw;
    c.height = ch;
  }
}
