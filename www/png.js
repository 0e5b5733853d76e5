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
