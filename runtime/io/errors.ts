/**
 * Typed errors of the runtime's I/O layer.
 *
 * Runtime code cannot use the compiler's diagnostics (data flows one way), so every
 * failure here is an `IoError` subclass with a stable kebab-case `code`, a message that
 * names the offending thing (tensor, sense, row, chunk) and a `help` line saying how to
 * fix it. Nothing in runtime/io throws anything else for bad input.
 */
export abstract class IoError extends Error {
  /** Stable identifier, e.g. `safetensors-truncated`; safe to match on. */
  readonly code: string;
  /** One sentence saying how to fix the input. */
  readonly help: string;

  protected constructor(name: string, code: string, message: string, help: string) {
    super(`${message}\n  help: ${help}`);
    this.name = name;
    this.code = code;
    this.help = help;
  }
}

/** A safetensors file or tensor set that cannot be read or written. */
export class SafetensorsError extends IoError {
  /** The tensor the problem is about, when there is one. */
  readonly tensor: string | undefined;

  constructor(code: string, message: string, help: string, tensor?: string) {
    super('SafetensorsError', code, message, help);
    this.tensor = tensor;
  }
}

/** Placeholder tokens and sense embeddings that do not fit together. */
export class ZipperError extends IoError {
  /** The sense (modality) concerned, when there is one. */
  readonly sense: string | undefined;

  constructor(code: string, message: string, help: string, sense?: string) {
    super('ZipperError', code, message, help);
    this.sense = sense;
  }
}

/** Audio or pixel input that the media front ends cannot turn into features. */
export class MediaError extends IoError {
  constructor(code: string, message: string, help: string) {
    super('MediaError', code, message, help);
  }
}

/** A weight manifest that cannot be initialised. */
export class InitError extends IoError {
  /** The manifest entry concerned, when there is one. */
  readonly tensor: string | undefined;

  constructor(code: string, message: string, help: string, tensor?: string) {
    super('InitError', code, message, help);
    this.tensor = tensor;
  }
}
