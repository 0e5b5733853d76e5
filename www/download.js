// Saves `body` (text, a Blob part, or a data: URL) as the file `name` of MIME type `type` through a
// temporary link: the downloads of every mode (Explore's exports, the sweep's records, summary and
// figures).

export function download(name, body, type) {
  const url = typeof body === 'string' && body.startsWith('data:') ? body : URL.createObjectURL(new Blob([body], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  if (!url.startsWith('data:')) setTimeout(() => URL.revokeObjectURL(url), 1000);
}
