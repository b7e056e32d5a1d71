// The Diagnostics page: can this Haul do its work? The core runs every readiness check
// (database, disk space, each configured provider, the tools, the face models) each time
// it is asked, so the page asks when it opens and when Refresh is pressed.

import { api as coreApi, type CoreError, type Readiness } from "$lib/ipc/api";

export type DiagnosticsApi = Pick<typeof coreApi, "diagnostics">;

export class DiagnosticsStore {
  readiness = $state.raw<Readiness | null>(null);
  error = $state<CoreError | null>(null);
  /** A run of the checks is on its way (a provider may take seconds to answer). */
  checking = $state(false);
  /** When the shown checks ran (unix ms). */
  checkedAt = $state<number | null>(null);

  readonly #api: DiagnosticsApi;
  #generation = 0;

  constructor(api: DiagnosticsApi = coreApi) {
    this.#api = api;
  }

  async refresh(): Promise<void> {
    const generation = ++this.#generation;
    this.checking = true;
    const result = await this.#api.diagnostics();
    if (generation !== this.#generation) return;
    this.checking = false;
    if (result.ok) {
      this.readiness = result.value;
      this.error = null;
      this.checkedAt = Date.now();
    } else {
      this.error = result.error;
    }
  }
}
