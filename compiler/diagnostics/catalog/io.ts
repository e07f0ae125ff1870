import { entry } from './entry.js';

/** Input and output: files named on the command line, written outputs, and the run itself. */
export const ioDiagnostics = {
  fileNotFound: entry('MIMO0001', 'file-not-found', 'error', 'cannot read `{path}`: no such file', 'A file named on the command line or imported does not exist.'),
  pathIsDirectory: entry('MIMO0002', 'path-is-directory', 'error', 'cannot read `{path}`: it is a directory', 'A path that should name a file names a directory.'),
  fileUnreadable: entry('MIMO0003', 'file-unreadable', 'error', 'cannot read `{path}`: {reason}', 'A file exists but could not be read (permissions, a broken link, a device error).'),
  fileUnwritable: entry('MIMO0004', 'file-unwritable', 'error', 'cannot write `{path}`: {reason}', 'An output file could not be written; the original, if any, is left as it was.'),
  rootNotDirectory: entry('MIMO0005', 'root-not-directory', 'error', 'the project root `{path}` is not a directory', 'The directory given with --root does not exist or is not a directory.'),
  unknownModel: entry('MIMO0020', 'unknown-model', 'error', 'no model `{name}` in `{file}`', 'The --model option names a model, variant or sweep point the spec does not declare.'),
  noModel: entry('MIMO0021', 'no-model', 'error', '`{file}` declares no model', 'A command that works on a model (build, plan, run, bench) was given a spec without any `model` declaration.'),
  runBadPrompt: entry('MIMO0030', 'run-bad-prompt', 'error', 'bad --prompt: {reason}', '`mimo run --prompt` holds something that is neither a token id of the model nor one of its placeholders, or a sense placeholder is missing or repeated.'),
  runWeightsMismatch: entry('MIMO0031', 'run-weights-mismatch', 'error', 'the weights in `{path}` do not fit `{model}`: {reason}', 'A safetensors file given to `mimo run --weights` lacks a tensor the model reads or has one of the wrong shape.'),
  runBackendUnavailable: entry('MIMO0032', 'run-backend-unavailable', 'error', 'backend `{backend}` is not available: {reason}', 'The tfjs backend asked for cannot start here (a missing package or adapter).'),
  runFailed: entry('MIMO0033', 'run-failed', 'error', 'the forward pass failed: {reason}', 'The model could not be run with these inputs (an executor or plan error).'),
  internalError: entry('MIMO0099', 'internal-error', 'error', 'internal error: {message}', 'mimo itself failed; this is a bug, not a problem in the spec.'),
} as const;
