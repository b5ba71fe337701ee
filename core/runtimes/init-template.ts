import { cp, mkdir, readdir, stat } from "node:fs/promises";
import { basename, join, relative, resolve } from "node:path";
import { listTemplates } from "./list-templates.ts";
import { DestinationNotEmptyError, UnknownTemplateError } from "./template-errors.ts";

/** Left behind when copying: what a local run of the example installed or built. */
const SKIPPED = new Set(["node_modules", ".git", ".aether", ".aether-build", "__pycache__", ".deps"]);

/**
 * Copies the example app `template` from `examplesDir` into `destination` (created when missing), the
 * start of `aether init --template NAME`. Refuses a destination that holds anything, so nothing is
 * overwritten, and lists the available templates when the name is unknown.
 * @throws UnknownTemplateError, DestinationNotEmptyError
 * @example await initTemplate({ template: "python", destination: "my-app", examplesDir: "examples" })
 */
export async function initTemplate(request: {
  template: string;
  destination: string;
  examplesDir: string;
}): Promise<{ template: string; destination: string; files: string[] }> {
  const { template } = request;
  const available = await listTemplates(request.examplesDir);
  if (!available.includes(template)) throw new UnknownTemplateError(template, available);
  const source = join(request.examplesDir, template);
  const destination = resolve(request.destination);
  await requireEmptyFolder(destination);
  await mkdir(destination, { recursive: true });
  await cp(source, destination, {
    recursive: true,
    force: false,
    filter: (path) => !SKIPPED.has(basename(path)),
  });
  return { template, destination, files: await listFiles(destination) };
}

async function requireEmptyFolder(destination: string): Promise<void> {
  const info = await stat(destination).catch(() => undefined);
  if (info === undefined) return;
  if (!info.isDirectory()) throw new DestinationNotEmptyError(destination, "not-a-folder");
  if ((await readdir(destination)).length > 0) throw new DestinationNotEmptyError(destination, "not-empty");
}

async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .sort();
}
