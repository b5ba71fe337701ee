/** The least an operator must set for the chart to render: the GitHub App, a database and a store. */
export const INSTALL_VALUES = {
  githubApp: {
    id: "2345678",
    privateKey: "-----BEGIN RSA PRIVATE KEY-----\nnot-a-real-key\n-----END RSA PRIVATE KEY-----\n",
    webhookSecret: "test-webhook-secret",
  },
  database: { url: "postgres://aether:pw@db.internal:5432/aether" },
  store: { url: "s3://aether-artifacts/prod" },
};

/** Values merged over INSTALL_VALUES one level deep (enough for these tests' value sets). */
export function installValues(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...INSTALL_VALUES };
  for (const [key, value] of Object.entries(extra)) {
    const base = merged[key];
    merged[key] = isPlainObject(base) && isPlainObject(value) ? { ...base, ...value } : (value as unknown);
  }
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
