/** The CLI's exit codes; README documents them. */
export const ExitCode = {
  /** The scenario ran; refuted claims are findings, not failures. */
  ran: 0,
  /** --strict and at least one claim was refuted. */
  refuted: 1,
  /** Bad arguments or an unknown scenario. */
  usage: 2,
  /** The engine, images or host could not be prepared; the message says what to do. */
  environment: 3,
  /** A harness failure (a bug, or something the lab did not foresee). */
  harness: 4,
  interrupted: 130,
  terminated: 143,
} as const;
