import { createServer, request, type Server } from "node:http";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createReverseProxy, type ProxyRoute, type ReverseProxy } from "./reverse-proxy.ts";

/** Set by the upstream when it has answered /slow: what `drain` must wait for. */
let slowAnswered = false;

let upstream: Server;
let upstreamPort = 0;
let proxy: ReverseProxy;
let proxyPort = 0;
let route: ProxyRoute = { kind: "unavailable", status: 503, message: "starting" };

function listen(server: Server): Promise<number> {
  return new Promise((done) =>
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      done(typeof address === "object" && address !== null ? address.port : 0);
    }),
  );
}

beforeAll(async () => {
  upstream = createServer((req, res) => {
    if (req.url === "/echo") {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        res.setHeader("set-cookie", ["a=1", "b=2"]);
        res.end(
          JSON.stringify({
            method: req.method,
            body: Buffer.concat(chunks).toString(),
            headers: req.headers,
          }),
        );
      });
      return;
    }
    if (req.url === "/slow") {
      return void setTimeout(() => {
        slowAnswered = true;
        res.end("slow");
      }, 150);
    }
    res.writeHead(201, { "x-app": "yes" });
    res.end("created");
  });
  upstream.on("upgrade", (_req, socket) => {
    socket.write("HTTP/1.1 101 Switching Protocols\r\nupgrade: echo\r\nconnection: upgrade\r\n\r\n");
    socket.on("data", (data: Buffer) => socket.write(`echo:${data.toString()}`));
  });
  upstreamPort = await listen(upstream);
  proxy = createReverseProxy(() => route);
  proxyPort = await listen(proxy.server);
});

afterAll(async () => {
  await proxy.close();
  upstream.close();
});

describe("createReverseProxy", () => {
  it("explains itself while nothing serves: 503 while starting, 502 when down", async () => {
    let res = await fetch(`http://127.0.0.1:${proxyPort}/`);
    expect([res.status, await res.text()]).toEqual([503, "Aether: starting\n"]);
    route = { kind: "unavailable", status: 502, message: "no release" };
    res = await fetch(`http://127.0.0.1:${proxyPort}/`);
    expect([res.status, res.headers.get("content-type"), await res.text()]).toEqual([
      502,
      "text/plain; charset=utf-8",
      "Aether: no release\n",
    ]);
  });

  it("pipes requests and responses, adding X-Forwarded-* headers", async () => {
    route = { kind: "up", port: upstreamPort, release: 3 };
    const res = await fetch(`http://127.0.0.1:${proxyPort}/echo`, {
      method: "POST",
      body: "payload",
      headers: { "x-forwarded-for": "10.0.0.9" },
    });
    const seen = (await res.json()) as { method: string; body: string; headers: Record<string, string> };
    expect(seen.method).toBe("POST");
    expect(seen.body).toBe("payload");
    expect(seen.headers["x-forwarded-for"]).toBe("10.0.0.9, 127.0.0.1");
    expect(seen.headers["x-forwarded-proto"]).toBe("http");
    expect(seen.headers["x-forwarded-host"]).toBe(`127.0.0.1:${proxyPort}`);
    expect(res.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
    const plain = await fetch(`http://127.0.0.1:${proxyPort}/other`);
    expect([plain.status, plain.headers.get("x-app"), await plain.text()]).toEqual([201, "yes", "created"]);
  });

  it("answers 502 naming the release when it does not answer", async () => {
    const dead = createServer();
    const port = await listen(dead);
    dead.close();
    route = { kind: "up", port, release: 7 };
    const res = await fetch(`http://127.0.0.1:${proxyPort}/`);
    expect([res.status, await res.text()]).toEqual([
      502,
      "Aether: release 7 did not answer (connection refused)\n",
    ]);
  });

  it("drains: waits for requests in flight on a port", async () => {
    route = { kind: "up", port: upstreamPort, release: 3 };
    slowAnswered = false;
    const slow = fetch(`http://127.0.0.1:${proxyPort}/slow`).then((r) => r.text());
    while (proxy.inFlight(upstreamPort) === 0) await new Promise((done) => setTimeout(done, 5));
    await proxy.drain(upstreamPort, 5_000);
    // Drained means the upstream answered and the proxy passed it on; the client may read it a tick later.
    expect(slowAnswered).toBe(true);
    expect(proxy.inFlight(upstreamPort)).toBe(0);
    expect(await slow).toBe("slow");
  });

  it("tunnels upgrade requests (WebSocket) both ways", async () => {
    route = { kind: "up", port: upstreamPort, release: 3 };
    const socket = connect(proxyPort, "127.0.0.1");
    let received = "";
    socket.on("data", (d: Buffer) => {
      received += d.toString();
      if (received.includes("\r\n\r\n") && !received.includes("echo:")) socket.write("ping");
    });
    socket.write(`GET /ws HTTP/1.1\r\nhost: x\r\nconnection: upgrade\r\nupgrade: echo\r\n\r\n`);
    await new Promise<void>((done) => {
      const check = setInterval(() => {
        if (received.includes("echo:ping")) done(clearInterval(check));
      }, 10);
    });
    socket.destroy();
    expect(received).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n/);
    expect(received).toContain("echo:ping");
  });

  it("refuses upgrades with a plain answer while nothing serves", async () => {
    route = { kind: "unavailable", status: 503, message: "starting" };
    const answer = await new Promise<string>((done) => {
      const req = request({
        port: proxyPort,
        host: "127.0.0.1",
        headers: { connection: "upgrade", upgrade: "echo" },
      });
      req.on("response", (res) => {
        let text = "";
        res.on("data", (d: Buffer) => (text += d.toString()));
        res.on("end", () => done(`${res.statusCode} ${text}`));
      });
      req.end();
    });
    expect(answer).toBe("503 Aether: starting\n");
  });
});
