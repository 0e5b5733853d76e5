// Form helpers shared by the Explore and Temperature-sweep forms, and the sentence every mode uses
// for a link that asks for something the page does not have.

// What a link asked for, that `where` cannot show (`have`: what it can), and what is shown
// instead: one sentence, the asked value cut to 32 characters.
export function linkAsks(what, asked, where, have, showing) {
  return `The link asks for ${what} "${String(asked).slice(0, 32)}", which ${where} (${have}): showing ${showing}.`;
}

// The controls whose checks read another control: changing the dimension, the density or the
// units can make the messages of N, T_p, the density and the units wrong.
const DEPENDS = ['dim', 'density', 'units'];
const DEPENDENT = ['n', 'tp', 'tps', 'density', 'units'];

// An edited control's message goes (it described the old value), and so do the messages of the
// controls whose checks read it; Run checks the new values. `id` is the control's id (`prefix` +
// field, e.g. "sweep-n"), its message sits in `err-<id>`. When no message is left, the status line
// `stageId` stops asking to fix the highlighted parameters.
export function clearFieldError(id, prefix = '', stageId = 'stage') {
  const field = id.slice(prefix.length);
  const ids = [id, ...(DEPENDS.includes(field) ? DEPENDENT.map((f) => `${prefix}${f}`) : [])];
  for (const c of ids) {
    const el = document.getElementById(`err-${c}`);
    if (!el || !el.textContent) continue;
    el.textContent = '';
    document.getElementById(c)?.removeAttribute('aria-invalid');
  }
  const form = document.getElementById(id)?.form;
  const left = form ? [...form.querySelectorAll('.error')].some((e) => e.textContent) : true;
  const stage = document.getElementById(stageId);
  if (!left && stage && stage.textContent.startsWith('not run: fix the highlighted')) stage.textContent = '';
}
