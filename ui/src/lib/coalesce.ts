// A refresh that many events ask for at once runs once: while it runs, any number of
// further requests become exactly one more run after it (so the last change is never
// missed, and the core is never asked twice in parallel).

/**
 * Wraps `task`: a call runs it, or joins the run in progress and makes sure one more run
 * follows it. Every call resolves when the run that covers it has ended.
 */
export function coalesced(task: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let again = false;
  return () => {
    if (running !== null) {
      again = true;
      return running;
    }
    const run = async (): Promise<void> => {
      try {
        do {
          // Cleared in the same step as the last check: a call in between would be lost.
          again = false;
          await task();
        } while (again);
      } finally {
        running = null;
      }
    };
    running = run();
    return running;
  };
}
