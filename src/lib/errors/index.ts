// Typed errors. The API maps each to the status code dockerd uses and an
// Engine-style {"message": …} body; the CLI prints the message and exits 1.

/** Base: an error with the HTTP status the API answers with. */
export class TswError extends Error {
  constructor(message: string, readonly status: number) {
    super(message)
    this.name = new.target.name
  }
}

/** 404: no such object. */
export class NotFoundError extends TswError {
  constructor(message: string) { super(message, 404) }
}

/** 400: the request is malformed or names something invalid. */
export class InvalidArgumentError extends TswError {
  constructor(message: string) { super(message, 400) }
}

/** 409: the name or object is already taken. */
export class ConflictError extends TswError {
  constructor(message: string) { super(message, 409) }
}

/** 503: the operation is not possible in the swarm's current state. */
export class UnavailableError extends TswError {
  constructor(message: string) { super(message, 503) }
}

/** 412-ish: a precondition failed (dockerd answers these with 400 or 500). */
export class FailedPreconditionError extends TswError {
  constructor(message: string, status = 400) { super(message, status) }
}

/** A write carried a Version.Index that is no longer current. */
export class OutOfSequenceError extends TswError {
  constructor() { super('update out of sequence', 500) }
}

/** 401/403: the caller is not allowed. */
export class ForbiddenError extends TswError {
  constructor(message: string, status = 403) { super(message, status) }
}
