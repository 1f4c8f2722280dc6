/**
 * The errors of kubectl-style commands and their rendering (kubectl pkg/cmd/util/helpers.go
 * StandardErrorMessage). Kept free of undici so the root error boundary loads nothing heavy.
 */

/** A `metav1.Status` failure from the server. */
export class ApiStatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: { name?: string; kind?: string; causes?: Array<{ field?: string; message?: string }> },
  ) {
    super(message);
  }
}

/** An unusable kubeconfig (clientcmd's invalid-configuration errors): `Error in configuration: <msg>`. */
export class ConfigurationError extends Error {}

/** A connection-level failure, printed with kubectl's wording by the error boundary. */
export class ConnectionError extends Error {}

/**
 * kubectl's rendering of one error (kubectl pkg/cmd/util/helpers.go StandardErrorMessage), without
 * the `error: ` prefix that the boundary adds to plain errors.
 */
export function standardErrorMessage(err: unknown): string | undefined {
  if (err instanceof ApiStatusError) {
    if (err.code === 401) return 'error: You must be logged in to the server (Unauthorized)';
    // kubectl's checkErr for an Invalid status without causes (kubectl pkg/cmd/util/helpers.go).
    if (err.reason === 'Invalid' && !err.details) return `The request is invalid${err.message ? `: ${err.message}` : ''}`;
    if (err.reason === 'Invalid' && err.details?.causes?.length) {
      const causes = [...new Set(err.details.causes.map((c) => (c.field ? `${c.field}: ${c.message}` : `${c.message}`)))];
      const head = `The ${err.details.kind} "${err.details.name}" is invalid: `;
      return causes.length === 1 ? head + causes[0] : head + '\n' + causes.map((c) => `* ${c}`).join('\n');
    }
    return err.reason ? `Error from server (${err.reason}): ${err.message}` : `Error from server: ${err.message}`;
  }
  if (err instanceof ConnectionError) return err.message;
  if (err instanceof ConfigurationError) return `Error in configuration: ${err.message}`;
  return undefined;
}

/** The one-line text of an error inside an aggregate. */
export function messageForError(err: unknown): string {
  return standardErrorMessage(err) ?? (err instanceof Error ? err.message : String(err));
}
