/**
 * The phases of a deploy, in order, as the latency table shows them. `build`, `pack` and `upload` make the
 * artifact; `start` materialises the release and starts its process; `healthy` waits for the health path.
 */
export const PHASES = ["detect", "build", "pack", "upload", "start", "healthy"] as const;
export type Phase = (typeof PHASES)[number];

/**
 * What the pipeline reports while it runs. The CLI draws a progress display from these, the Actions write
 * a job summary, the app edits a check run: one pipeline, several presenters.
 */
export type PipelineEvent =
  | { type: "phase-started"; phase: Phase }
  | { type: "phase-finished"; phase: Phase; ms: number; detail: string }
  | { type: "phase-failed"; phase: Phase; ms: number; message: string; logTail: string[] }
  | { type: "progress"; phase: Phase; message: string }
  | { type: "output"; phase: Phase; line: string };

export type OnPipelineEvent = (event: PipelineEvent) => void;

/** An expected failure of one phase: carries what the presenters need to explain it. */
export class PhaseError extends Error {
  readonly phase: Phase;
  readonly logTail: string[];
  constructor(phase: Phase, message: string, logTail: string[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.name = "PhaseError";
    this.phase = phase;
    this.logTail = logTail;
  }
}
