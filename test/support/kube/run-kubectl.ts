import { spawn } from "node:child_process";

export interface KubectlRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real /usr/bin/kubectl against a kubeconfig; `killAfterMs` stops a follow (`logs -f`) after a while. */
export function runKubectl(
  args: string[],
  options: { kubeconfigPath: string; stdin?: string; killAfterMs?: number },
): Promise<KubectlRun> {
  return new Promise((resolve, reject) => {
    const child = spawn("/usr/bin/kubectl", args, {
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "/tmp",
        KUBECONFIG: options.kubeconfigPath,
      },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code, signal) =>
      resolve({ code: code ?? (signal === null ? -1 : 128), stdout, stderr }),
    );
    child.stdin.end(options.stdin ?? "");
    if (options.killAfterMs !== undefined) setTimeout(() => child.kill("SIGTERM"), options.killAfterMs);
  });
}
