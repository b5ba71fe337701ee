import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRedisServer, type RedisTestServer } from "../../test/support/redis-server.ts";
import { destroyRedis, provisionRedis } from "./provision-redis.ts";

let server: RedisTestServer;
// No reconnecting: a refused AUTH must fail the connect, not retry forever.
const newClient = (url: string) => createClient({ url, socket: { reconnectStrategy: false } });
type Client = ReturnType<typeof newClient>;
let admin: Client;

beforeAll(async () => {
  server = await startRedisServer();
  admin = newClient(server.url);
  await admin.connect();
});

afterAll(async () => {
  await admin?.close();
  await server?.stop();
});

async function connectAs(url: string): Promise<Client> {
  const client = newClient(url);
  client.on("error", () => undefined);
  await client.connect();
  return client;
}

describe("provisionRedis", () => {
  it("gives a user its own key prefix, and nothing else", async () => {
    const a = await provisionRedis({ client: admin, repository: "octo/shop", env: "pr-1", server });
    await provisionRedis({ client: admin, repository: "octo/shop", env: "pr-2", server });
    await admin.set("aether:octo/shop:pr-2:session", "other");
    await admin.set("production:key", "secret");
    const client = await connectAs(a.redisUrl ?? "");
    try {
      await client.set(`${a.keyPrefix}cart`, "3");
      expect(await client.get(`${a.keyPrefix}cart`)).toBe("3");
      await expect(client.get("aether:octo/shop:pr-2:session")).rejects.toThrow(/NOPERM/);
      await expect(client.get("production:key")).rejects.toThrow(/NOPERM/);
      await expect(client.sendCommand(["FLUSHALL"])).rejects.toThrow(/NOPERM/);
      await expect(client.sendCommand(["CONFIG", "GET", "requirepass"])).rejects.toThrow(/NOPERM/);
      await expect(client.sendCommand(["KEYS", "*"])).rejects.toThrow(/NOPERM/);
      await expect(client.sendCommand(["AUTH", "default", "guess"])).rejects.toThrow(/WRONGPASS/);
    } finally {
      await client.close().catch(() => undefined);
    }
    expect(await admin.get("production:key")).toBe("secret");
  });

  it("rotates the password on a second call", async () => {
    const first = await provisionRedis({ client: admin, repository: "octo/shop", env: "pr-3", server });
    const second = await provisionRedis({ client: admin, repository: "octo/shop", env: "pr-3", server });
    expect(second.password).not.toBe(first.password);
    await expect(connectAs(first.redisUrl ?? "")).rejects.toThrow(/WRONGPASS/);
    const client = await connectAs(second.redisUrl ?? "");
    await client.close();
  });

  it("destroys the user and its keys only, and is safe to repeat", async () => {
    const env = await provisionRedis({ client: admin, repository: "octo/shop", env: "pr-4", server });
    for (let i = 0; i < 1200; i++) await admin.set(`${env.keyPrefix}k${i}`, "v");
    await admin.set("aether:octo/shop:pr-40:k", "neighbour");
    expect(await destroyRedis({ client: admin, repository: "octo/shop", env: "pr-4" })).toEqual({
      deletedUser: true,
      deletedKeys: 1200,
    });
    expect(await admin.get("aether:octo/shop:pr-40:k")).toBe("neighbour");
    await expect(connectAs(env.redisUrl ?? "")).rejects.toThrow(/WRONGPASS/);
    expect(await destroyRedis({ client: admin, repository: "octo/shop", env: "pr-4" })).toEqual({
      deletedUser: false,
      deletedKeys: 0,
    });
  });
});
