"""A small web app on Python's standard library only, deployed by Aether."""

import os
import platform
import signal
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE = f"""<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>Hello from Python</title></head>
  <body>
    <h1>Hello from Python {platform.python_version()}</h1>
    <p>Standard library only (http.server). Deployed by Aether.</p>
  </body>
</html>
""".encode()


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/":
            self.reply(200, "text/html; charset=utf-8", PAGE)
        elif self.path == "/health":
            self.reply(200, "text/plain; charset=utf-8", b"ok")
        else:
            self.reply(404, "text/plain; charset=utf-8", b"not found")

    def reply(self, status, content_type, body):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        sys.stdout.write("%s %s\n" % (self.address_string(), format % args))
        sys.stdout.flush()


def main():
    port = int(os.environ.get("PORT", "8000"))
    server = ThreadingHTTPServer(("0.0.0.0", port), Handler)
    # The target stops a release with SIGTERM: leave the serve loop and exit cleanly.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"python listening on http://127.0.0.1:{port}", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
