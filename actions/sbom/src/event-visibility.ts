import { readFile } from "node:fs/promises";

/** `repository.visibility` of the event that started the workflow (GITHUB_EVENT_PATH), when it says. */
export async function eventVisibility(eventPath: string | undefined): Promise<string | undefined> {
  if (!eventPath) return undefined;
  const payload: unknown = JSON.parse(await readFile(eventPath, "utf8").catch(() => "{}"));
  if (payload === null || typeof payload !== "object" || !("repository" in payload)) return undefined;
  const repository = payload.repository;
  if (repository === null || typeof repository !== "object") return undefined;
  if ("visibility" in repository && typeof repository.visibility === "string") return repository.visibility;
  if ("private" in repository && typeof repository.private === "boolean") {
    return repository.private ? "private" : "public";
  }
  return undefined;
}
