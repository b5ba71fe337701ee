/** The file the static runtime adds to the app layer, and runs with the site folder as its argument. */
export const STATIC_SERVER_FILE = "aether-static-server.mjs";

/**
 * A zero-dependency Node server for static sites: serves files under the folder given as argv[2] on
 * $PORT (default 8080), index.html for folders, /health → ok when the site has no such file, and never a
 * dot-file or anything outside the folder. Kept as text so it travels inside bundled code.
 */
export const STATIC_SERVER_SOURCE = `// Written by Aether's static runtime: serves this site's files.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer } from "node:http";
import { extname, join, resolve, sep } from "node:path";

const root = resolve(process.argv[2] ?? ".");
const port = Number(process.env.PORT ?? 8080);
const types = {
  ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json", ".txt": "text/plain; charset=utf-8", ".xml": "application/xml",
  ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
  ".gif": "image/gif", ".webp": "image/webp", ".avif": "image/avif", ".ico": "image/x-icon",
  ".woff": "font/woff", ".woff2": "font/woff2", ".wasm": "application/wasm", ".pdf": "application/pdf",
  ".map": "application/json", ".webmanifest": "application/manifest+json",
};

async function find(pathname) {
  let decoded;
  try { decoded = decodeURIComponent(pathname); } catch { return undefined; }
  if (decoded.includes("\\0") || decoded.split("/").some((part) => part.startsWith("."))) return undefined;
  const file = join(root, decoded);
  if (file !== root && !file.startsWith(root + sep)) return undefined;
  const info = await stat(file).catch(() => undefined);
  if (info?.isFile()) return { file, size: info.size };
  if (info?.isDirectory()) {
    const index = join(file, "index.html");
    const indexInfo = await stat(index).catch(() => undefined);
    if (indexInfo?.isFile()) return { file: index, size: indexInfo.size };
  }
  return undefined;
}

const server = createServer(async (request, response) => {
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.writeHead(405, { allow: "GET, HEAD" }).end();
    return;
  }
  const { pathname } = new URL(request.url ?? "/", "http://localhost");
  const found = await find(pathname);
  if (!found && pathname === "/health") {
    response.writeHead(200, { "content-type": "text/plain; charset=utf-8" }).end("ok");
    return;
  }
  const target = found ?? (await find("/404.html"));
  if (!target) {
    response.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found");
    return;
  }
  response.writeHead(found ? 200 : 404, {
    "content-type": types[extname(target.file).toLowerCase()] ?? "application/octet-stream",
    "content-length": target.size,
    "x-content-type-options": "nosniff",
  });
  if (request.method === "HEAD") response.end();
  else createReadStream(target.file).pipe(response);
});

server.listen(port, () => console.log("static site in " + root + " on http://127.0.0.1:" + port));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
`;
