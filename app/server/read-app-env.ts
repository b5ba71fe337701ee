import { parseApiTokens, type ApiToken } from "../api/api-tokens.ts";

/** What the app reads from its environment, named as Probot names it where Probot has a name. */
export const APP_ENV_VARS = [
  "APP_ID",
  "PRIVATE_KEY",
  "PRIVATE_KEY_PATH",
  "WEBHOOK_SECRET",
  "GITHUB_API_URL",
  "DATABASE_URL",
  "PREVIEW_DATABASE_URL",
  "AETHER_STORE",
  "AETHER_API_TOKENS",
  "AETHER_OIDC_ISSUER",
  "AETHER_PUBLIC_URL",
  "AETHER_GITHUB_THROTTLE",
  "AETHER_APP_LEASE_MS",
  "AETHER_REDELIVER_INTERVAL",
  "HOST",
  "PORT",
  // The deploy target (read by app/targets/kube-choose-target.ts and kube-open-app-target.ts).
  "AETHER_TARGET",
  "AETHER_KUBECONFIG",
  "KUBECONFIG",
  "AETHER_NAMESPACE",
  "AETHER_PREVIEW_HOST",
  "AETHER_ENV_HOST",
  "AETHER_RUNTIME_IMAGE",
  "AETHER_FETCHER_IMAGE",
] as const;

export interface AppEnv {
  appId: number;
  /** PEM text, from PRIVATE_KEY (escaped `\n` accepted, as Probot does) or the file PRIVATE_KEY_PATH. */
  privateKey: string;
  webhookSecret: string;
  githubApiUrl?: string;
  databaseUrl?: string;
  previewDatabaseUrl?: string;
  storeUrl?: string;
  apiTokens: ApiToken[];
  /** Accept job OIDC tokens of this issuer on the deploy API (AETHER_OIDC_ISSUER). */
  oidcIssuer?: string;
  publicUrl?: string;
  throttle: boolean;
  leaseMs?: number;
  /** Seconds between scans for webhook deliveries GitHub could not hand over; 0: none (default 300). */
  redeliverIntervalSeconds: number;
  host?: string;
  port?: number;
}

export class AppEnvError extends Error {
  constructor(problems: string[]) {
    super(
      `the app's environment is not complete:\n${problems.map((p) => `  - ${p}`).join("\n")}\nSee docs/app.md.`,
    );
    this.name = "AppEnvError";
  }
}

/**
 * Reads the app's settings from `env`, reporting every problem at once. `readFile` reads PRIVATE_KEY_PATH.
 * Secrets are never part of a message.
 */
export async function readAppEnv(
  env: Record<string, string | undefined>,
  readFile: (path: string) => Promise<string>,
): Promise<AppEnv> {
  const problems: string[] = [];
  const get = (name: (typeof APP_ENV_VARS)[number]) => {
    const value = env[name]?.trim();
    return value === undefined || value === "" ? undefined : value;
  };
  const appId = Number(get("APP_ID"));
  if (!Number.isInteger(appId) || appId <= 0) problems.push("APP_ID must be the GitHub App's numeric id");
  let privateKey = get("PRIVATE_KEY")?.replaceAll("\\n", "\n");
  const keyPath = get("PRIVATE_KEY_PATH");
  if (privateKey === undefined && keyPath !== undefined) {
    privateKey = await readFile(keyPath).catch(() => {
      problems.push(`PRIVATE_KEY_PATH ${keyPath} cannot be read`);
      return undefined;
    });
  }
  if (privateKey === undefined)
    problems.push("PRIVATE_KEY (or PRIVATE_KEY_PATH) must hold the app's private key");
  else if (!privateKey.includes("PRIVATE KEY-----")) problems.push("PRIVATE_KEY is not a PEM private key");
  const webhookSecret = get("WEBHOOK_SECRET");
  if (webhookSecret === undefined)
    problems.push("WEBHOOK_SECRET must be the secret set on the GitHub App's webhook");
  let apiTokens: ApiToken[] = [];
  try {
    apiTokens = parseApiTokens(get("AETHER_API_TOKENS"));
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  }
  const oidcIssuer = get("AETHER_OIDC_ISSUER");
  if (
    oidcIssuer !== undefined &&
    !/^https:\/\/[^\s/]+/.test(oidcIssuer) &&
    !/^http:\/\/127\.0\.0\.1[:/]/.test(oidcIssuer)
  )
    problems.push(
      "AETHER_OIDC_ISSUER must be an https:// URL (GitHub Actions': https://token.actions.githubusercontent.com)",
    );
  const port = get("PORT");
  if (port !== undefined && !/^\d+$/.test(port)) problems.push("PORT must be a port number");
  const lease = get("AETHER_APP_LEASE_MS");
  if (lease !== undefined && !/^\d+$/.test(lease)) problems.push("AETHER_APP_LEASE_MS must be milliseconds");
  const redeliver = get("AETHER_REDELIVER_INTERVAL") ?? "300";
  if (!/^\d+$/.test(redeliver))
    problems.push("AETHER_REDELIVER_INTERVAL must be seconds between redelivery scans (0 turns them off)");
  const throttle = get("AETHER_GITHUB_THROTTLE") ?? "on";
  if (throttle !== "on" && throttle !== "off") problems.push("AETHER_GITHUB_THROTTLE must be on or off");
  if (problems.length > 0 || privateKey === undefined || webhookSecret === undefined)
    throw new AppEnvError(problems);
  const optional = <K extends string>(key: K, value: string | undefined) =>
    value === undefined ? {} : { [key]: value };
  return {
    appId,
    privateKey,
    webhookSecret,
    apiTokens,
    throttle: throttle === "on",
    redeliverIntervalSeconds: Number(redeliver),
    ...optional("githubApiUrl", get("GITHUB_API_URL")),
    ...optional("databaseUrl", get("DATABASE_URL")),
    ...optional("previewDatabaseUrl", get("PREVIEW_DATABASE_URL")),
    ...optional("storeUrl", get("AETHER_STORE")),
    ...optional("publicUrl", get("AETHER_PUBLIC_URL")),
    ...optional("oidcIssuer", oidcIssuer),
    ...optional("host", get("HOST")),
    ...(port === undefined ? {} : { port: Number(port) }),
    ...(lease === undefined ? {} : { leaseMs: Number(lease) }),
  };
}
