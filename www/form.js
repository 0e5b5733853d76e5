// Form helpers shared by the Explore and Temperature-sweep forms.

// An edited field's message goes (it described the old value); Run checks the new one. `id` is
// the control's id, its message sits in `err-<id>`.
export function clearFieldError(id) {
  const el = document.getElementById(`err-${id}`);
  if (!el || !el.textContent) return;
  el.textContent = '';
  document.getElementById(id)?.removeAttribute('aria-invalid');
}
