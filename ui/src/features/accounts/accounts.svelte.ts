// The debrid accounts: what the core knows of each provider's credential, the checks
// against the provider, logins in progress, API keys and logouts. One instance lives
// for the whole window: the status bar shows the default provider's state from it.

import {
  api as coreApi,
  type AccountView,
  type CoreError,
  type Outcome,
  type Provider,
} from "$lib/ipc/api";
import { PROVIDERS } from "$lib/providers";
import { LoginFlow } from "./loginFlow.svelte";
import { accountState, type AccountState } from "./status";

export type AccountsApi = Pick<
  typeof coreApi,
  "listAccounts" | "checkAccount" | "startLogin" | "pollLogin" | "setApiKey" | "logout"
>;

type PerProvider<T> = Readonly<Partial<Record<Provider, T>>>;

export class AccountsStore {
  /** What the core last said about each provider. */
  accounts = $state.raw<PerProvider<AccountView>>({});
  /** Why the last call about a provider (check, logout) failed; cleared by the next good answer. */
  failures = $state.raw<PerProvider<CoreError>>({});
  checking = $state.raw<ReadonlySet<Provider>>(new Set());
  loadError = $state<CoreError | null>(null);
  loaded = $state(false);

  /** The cards, in the providers' usual order. */
  readonly list = $derived(
    PROVIDERS.map((p) => this.accounts[p]).filter((a): a is AccountView => a !== undefined),
  );

  readonly logins: Readonly<Record<Provider, LoginFlow>>;
  readonly #api: AccountsApi;

  constructor(api: AccountsApi = coreApi) {
    this.#api = api;
    const flow = (provider: Provider) =>
      new LoginFlow(provider, api, (account) => {
        this.#apply(account);
        // The login's answer may not carry the premium figures yet: ask the provider.
        void this.check(provider);
      });
    this.logins = { alldebrid: flow("alldebrid"), realdebrid: flow("realdebrid"), torbox: flow("torbox") };
  }

  stateOf(provider: Provider): AccountState {
    return accountState(this.accounts[provider], this.failures[provider], this.checking.has(provider));
  }

  /** Lists every provider (no network), then checks the ones with a credential. */
  async load(): Promise<void> {
    const result = await this.#api.listAccounts();
    if (!result.ok) {
      this.loadError = result.error;
      return;
    }
    this.loadError = null;
    this.loaded = true;
    for (const account of result.value) this.#apply(account, true);
    await Promise.all(result.value.filter((a) => a.configured).map((a) => this.check(a.provider)));
  }

  /** Asks the provider who the credential belongs to (and whether it is premium). */
  async check(provider: Provider): Promise<void> {
    this.checking = new Set(this.checking).add(provider);
    const result = await this.#api.checkAccount(provider);
    const next = new Set(this.checking);
    next.delete(provider);
    this.checking = next;
    if (result.ok) this.#apply(result.value);
    else this.#fail(provider, result.error);
  }

  /** Saves an API key (TorBox); the caller shows a refusal next to the field. */
  async setApiKey(provider: Provider, key: string): Promise<Outcome<AccountView>> {
    const result = await this.#api.setApiKey(provider, key.trim());
    if (result.ok) this.#apply(result.value);
    return result;
  }

  async logout(provider: Provider): Promise<Outcome<AccountView>> {
    this.logins[provider].cancel();
    const result = await this.#api.logout(provider);
    if (result.ok) this.#apply(result.value);
    else this.#fail(provider, result.error);
    return result;
  }

  /**
   * Takes an account view as the latest word on its provider. listAccounts asks no
   * provider (`fromList`): for the same credential, what the last check found still holds.
   */
  #apply(account: AccountView, fromList = false): void {
    const known = this.accounts[account.provider];
    const merged =
      fromList && known?.configured && account.configured
        ? {
            ...account,
            username: known.username,
            premium: known.premium,
            premiumUntil: known.premiumUntil,
            error: known.error,
          }
        : account;
    this.accounts = { ...this.accounts, [account.provider]: merged };
    if (!fromList || !account.configured) this.#fail(account.provider, undefined);
  }

  #fail(provider: Provider, error: CoreError | undefined): void {
    if (this.failures[provider] === error) return;
    const next = { ...this.failures };
    if (error === undefined) delete next[provider];
    else next[provider] = error;
    this.failures = next;
  }
}
