import { describe, expect, it } from "vitest";
import { generateAppKey } from "../../test/support/github/app-auth.ts";
import { AppEnvError, readAppEnv } from "./read-app-env.ts";

const key = generateAppKey().privateKey;
const noFile = () => Promise.reject(new Error("ENOENT"));

describe("the app's environment", () => {
  it("reads Probot's variables and Aether's, with escaped newlines in PRIVATE_KEY", async () => {
    const env = await readAppEnv(
      {
        APP_ID: "123",
        PRIVATE_KEY: key.replaceAll("\n", "\\n"),
        WEBHOOK_SECRET: "s3cret-webhook",
        PORT: "0",
        AETHER_GITHUB_THROTTLE: "off",
        AETHER_API_TOKENS: "acme/*=tok_0123456789abcdefghij",
      },
      noFile,
    );
    expect(env).toMatchObject({
      appId: 123,
      privateKey: key,
      port: 0,
      throttle: false,
      redeliverIntervalSeconds: 300,
    });
    expect(env.apiTokens).toHaveLength(1);
  });

  it("reads the key from PRIVATE_KEY_PATH", async () => {
    const env = await readAppEnv(
      { APP_ID: "1", PRIVATE_KEY_PATH: "key.pem", WEBHOOK_SECRET: "x" },
      async () => key,
    );
    expect(env.privateKey).toBe(key);
  });

  it("reads the redelivery scan's interval, 0 turning it off", async () => {
    const base = { APP_ID: "1", PRIVATE_KEY: key, WEBHOOK_SECRET: "x" };
    const off = await readAppEnv({ ...base, AETHER_REDELIVER_INTERVAL: "0" }, noFile);
    expect(off.redeliverIntervalSeconds).toBe(0);
    const message = await readAppEnv({ ...base, AETHER_REDELIVER_INTERVAL: "5m" }, noFile).catch(
      (error: Error) => error.message,
    );
    expect(message).toContain("AETHER_REDELIVER_INTERVAL must be seconds");
  });

  it("lists every problem at once, never the secrets", async () => {
    const attempt = readAppEnv({ APP_ID: "abc", PRIVATE_KEY: "not-a-key-s3cret", PORT: "http" }, noFile);
    await expect(attempt).rejects.toBeInstanceOf(AppEnvError);
    const message = await attempt.catch((error: Error) => error.message);
    expect(message).toContain("APP_ID must be the GitHub App's numeric id");
    expect(message).toContain("PRIVATE_KEY is not a PEM private key");
    expect(message).toContain("WEBHOOK_SECRET must be");
    expect(message).toContain("PORT must be a port number");
    expect(message).not.toContain("not-a-key-s3cret");
  });
});
