#!/usr/bin/env python3
"""Static file server for the pinchglass explorer.

Sends Cross-Origin-Opener-Policy / Cross-Origin-Embedder-Policy so the page is crossOriginIsolated
(SharedArrayBuffer, threaded WebAssembly). Standard library only.
Usage: python3 scripts/serve.py [--dir www] [--host 127.0.0.1] [--port 8000] [--no-isolation]
(--no-isolation leaves the COOP/COEP headers out, like a static host such as GitHub Pages: the
end-to-end tests use it for the single-threaded fallback).
"""
import argparse
import functools
import http.server
import sys


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".json": "application/json",
        ".svg": "image/svg+xml",
    }

    isolation = True

    def end_headers(self):
        if self.isolation:
            self.send_header("Cross-Origin-Opener-Policy", "same-origin")
            self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
            self.send_header("Cross-Origin-Resource-Policy", "same-origin")
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_request(self, code="-", size="-"):
        # only failed requests are worth a line (a page load is dozens of files)
        if not str(code).isdigit() or int(code) >= 400:
            super().log_request(code, size)


def port(text):
    """A TCP port, 1-65535 (argparse names the option when this raises)."""
    try:
        p = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to 65535, got {text!r}")
    if not 1 <= p <= 65535:
        raise argparse.ArgumentTypeError(f"must be from 1 to 65535, got {p}")
    return p


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dir", default="www")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=port, default=8000)
    ap.add_argument("--no-isolation", action="store_true", help="do not send COOP/COEP headers")
    args = ap.parse_args()
    Handler.isolation = not args.no_isolation
    handler = functools.partial(Handler, directory=args.dir)
    http.server.ThreadingHTTPServer.allow_reuse_address = True
    try:
        httpd = http.server.ThreadingHTTPServer((args.host, args.port), handler)
    except OSError as e:
        why = "already in use (another server? stop it, or choose another port: --port here, PORT=... for ./build.sh serve)" \
            if e.errno in (48, 98, 10048) else f"not available: {e.strerror or e}"
        sys.exit(f"serve.py: cannot serve on {args.host}:{args.port}: the port is {why}")
    with httpd:
        print(f"Serving {args.dir} at http://{args.host}:{args.port}/", flush=True)
        try:
            httpd.serve_forever()
        except KeyboardInterrupt:
            print("\nstopped", file=sys.stderr)


if __name__ == "__main__":
    main()
