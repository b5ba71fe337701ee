import { createServer, type Server } from "node:http";
import { createServer as createNetServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { PortInUseError } from "./local-errors.ts";
import { freeInternalPort, isPortFree, listenPublic } from "./ports.ts";

const servers: { close(): unknown }[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function hold(): Promise<number> {
  const server = createNetServer();
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", () => done()));
  const address = server.address();
  return typeof address === "object" && address !== null ? address.port : 0;
}

function proxyServer(): Server {
  const server = createServer();
  servers.push(server);
  return server;
}

describe("ports", () => {
  it("gets a free internal port from the OS and tells taken from free", async () => {
    const port = await freeInternalPort();
    expect(port).toBeGreaterThan(0);
    expect(await isPortFree(port)).toBe(true);
    expect(await isPortFree(await hold())).toBe(false);
  });

  it("binds the wished port, or says it is taken", async () => {
    const wish = await freeInternalPort();
    expect(await listenPublic(proxyServer(), { wish })).toBe(wish);
    const taken = await hold();
    await expect(listenPublic(proxyServer(), { wish: taken })).rejects.toEqual(new PortInUseError(taken));
  });

  it("reuses the recorded port when free, and moves on when it is not", async () => {
    const recorded = await freeInternalPort();
    expect(await listenPublic(proxyServer(), { recorded })).toBe(recorded);
    const taken = await hold();
    const port = await listenPublic(proxyServer(), { recorded: taken });
    expect(port).toBeGreaterThanOrEqual(4100);
    expect(port).not.toBe(taken);
  });
});
