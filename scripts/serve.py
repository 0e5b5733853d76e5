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


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dir", default="www")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8000)
    ap.add_argument("--no-isolation", action="store_true", help="do not send COOP/COEP headers")
    args = ap.parse_args()
    Handler.isolation = not args.no_isolation
    handler = functools.partial(Handler, directory=args.dir)
    http.server.ThreadingHTTPServer.allow_reuse_address = True
    with http.server.ThreadingHTTPServer((args.host, args.port), handler) as httpd:
        print(f"Serving {args.dir} at http://{args.host}:{args.port}/", flush=True)
        try:
            httpd.serve_forever()
        except KeyboardInterrupt:
            print("\nstopped", file=sys.stderr)


if __name__ == "__main__":
    main()
