/**
 * The simulator behind `galaxy sim`: plays Galaxy's part against a real integration
 * process over TCP.
 *
 * @module
 */
export { SimError } from "./errors.ts";
export { resolveCommand, type ResolveOptions } from "./launch.ts";
export { LineInput } from "./line_input.ts";
export { askLogin, fileLogin, interactive, readLoginFile } from "./interactive.ts";
export { importSteps, parseScript, replaySteps, runSteps, type Step } from "./script.ts";
export {
  IMPORT_NAMES,
  type LoginAnswer,
  type LoginPrompt,
  type Output,
  type SimOptions,
  SimSession,
  type StepReport,
} from "./session.ts";
export { readTranscript, type TranscriptEntry, TranscriptWriter } from "./transcript.ts";
