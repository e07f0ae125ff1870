/** Errors of the plan executor: a plan it cannot read, or inputs and weights that do not fit it. */

/** The plan object is not a `mimo-plan` this executor reads (wrong format or version, malformed kernels, inconsistent liveness). */
export class PlanFormatError extends Error {
  override readonly name = 'PlanFormatError';
  constructor(
    message: string,
    /** How to fix it. */
    readonly help: string,
  ) {
    super(message);
  }
}

/** A forward cannot run: a missing or misshaped weight or input, a prompt whose placeholders do not match its senses. */
export class PlanRunError extends Error {
  override readonly name = 'PlanRunError';
  constructor(
    message: string,
    readonly help: string,
  ) {
    super(message);
  }
}
