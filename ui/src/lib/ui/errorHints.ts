// What to do about a refusal, for the codes whose message says what happened but not what
// to do next (most of them are `haul serve`'s: the session and its guards).

/** A short next step for a core error's code; null when the message says enough. */
export function hintFor(code: string): string | null {
  switch (code) {
    case "NotAuthenticated":
      return "Your session has ended: log in again.";
    case "TotpRequired":
      return "Enter the code from your authenticator app, or a recovery code.";
    case "CsrfRejected":
      return "Reload the page, then try again.";
    case "LockedOut":
      return "Too many wrong passwords: wait until the lockout ends.";
    case "TooManyRequests":
      return "Wait a moment, then try again.";
    case "DirNotAllowed":
      return "This server only saves into the folders it allows: choose one of those.";
    default:
      return null;
  }
}

/** Codes whose fix is reloading the page (a stale CSRF token). */
export function needsReload(code: string): boolean {
  return code === "CsrfRejected";
}
