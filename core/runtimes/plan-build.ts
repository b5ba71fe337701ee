import { resolve } from "node:path";
import type { RuntimeName } from "../artifact/manifest.ts";
import type { BuildPlan, PlanOptions } from "./build-plan.ts";
import { planGo } from "./plan-go.ts";
import { planJava } from "./plan-java.ts";
import { planNode } from "./plan-node.ts";
import { planPython } from "./plan-python.ts";
import { planStatic } from "./plan-static.ts";
import type { Detection } from "./runtime.ts";

export type { AppPlan, BuildPlan, DepsPlan, PlanOptions } from "./build-plan.ts";

const PLANNERS: Record<
  RuntimeName,
  (detection: Detection, dir: string, options: PlanOptions) => Promise<BuildPlan>
> = {
  node: planNode,
  python: planPython,
  go: planGo,
  java: planJava,
  static: planStatic,
};

/**
 * Turns a detection into the commands that build the deps and app layers, what to pack from each, and
 * how the release starts. Reads the source folder (lockfiles, sources) but changes nothing in it.
 * @example const plan = await planBuild(await detectRuntime(dir), dir, { platform: "linux-x64" });
 *          plan.deps?.key // reuse the stored deps layer when a layer with this key exists
 */
export async function planBuild(detection: Detection, dir: string, options: PlanOptions): Promise<BuildPlan> {
  return PLANNERS[detection.runtime](detection, resolve(dir), options);
}
