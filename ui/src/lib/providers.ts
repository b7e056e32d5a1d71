// The debrid services Haul knows, in the order the UI lists them.

import type { Provider } from "$lib/ipc/api";

export const PROVIDERS: readonly Provider[] = ["alldebrid", "realdebrid", "torbox"];

// A Record, so a provider added to the bindings must get its name here.
export const PROVIDER_LABEL: Readonly<Record<Provider, string>> = {
  alldebrid: "AllDebrid",
  realdebrid: "Real-Debrid",
  torbox: "TorBox",
};
