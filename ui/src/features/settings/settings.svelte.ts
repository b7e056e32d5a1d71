// The settings the core holds. Loaded once at start-up (the theme depends on it) and
// replaced by whatever the core returns after a save.

import { api as coreApi, type CoreError, type Outcome, type Settings } from "$lib/ipc/api";

export type SettingsApi = Pick<typeof coreApi, "getSettings" | "updateSettings">;

export class SettingsStore {
  /** The settings as the core last confirmed them; null until loaded. */
  saved = $state<Settings | null>(null);
  loadError = $state<CoreError | null>(null);

  readonly #api: SettingsApi;

  constructor(api: SettingsApi = coreApi) {
    this.#api = api;
  }

  async load(): Promise<void> {
    const result = await this.#api.getSettings();
    if (result.ok) {
      this.saved = result.value;
      this.loadError = null;
    } else {
      this.loadError = result.error;
    }
  }

  async save(settings: Settings): Promise<Outcome<Settings>> {
    const result = await this.#api.updateSettings(settings);
    if (result.ok) this.saved = result.value;
    return result;
  }
}
