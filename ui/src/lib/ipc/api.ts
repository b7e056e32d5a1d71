// The one place the UI talks to the core. Everything else imports from here, never from
// the generated bindings, so a change in the generated shape is fixed in this file only.

import {
  commands,
  events,
  type AccountView_Serialize as AccountView,
  type AddTaskOptions_Deserialize as AddTaskOptions,
  type BinEntryView_Serialize as BinEntryView,
  type ClipboardOffer,
  type CoreError,
  type DownloadView_Serialize as DownloadView,
  type ErrorCode,
  type FaceScanReport,
  type FacesStatus_Serialize as FacesStatus,
  type FaceView_Serialize as FaceView,
  type ItemDetails_Deserialize as ItemDetails,
  type LibraryFilter_Deserialize as LibraryFilter,
  type LibraryItemView_Serialize as LibraryItemView,
  type LibraryPage_Serialize as LibraryPage,
  type LibraryProgress,
  type LibraryQuery_Deserialize as LibraryQuery,
  type LoginPrompt,
  type MonthCount,
  type LoginStatus_Serialize as LoginStatus,
  type MoveDirection,
  type PersonView_Serialize as PersonView,
  type ProgressSnapshot_Serialize as ProgressSnapshot,
  type Provider,
  type ScanReport,
  type Settings_Serialize as Settings,
  type AddSource_Deserialize as AddSource,
  type EditSource_Deserialize as EditSource,
  type HistoryPage_Serialize as HistoryPage,
  type HistoryQuery_Deserialize as HistoryQuery,
  type HistoryStats_Serialize as HistoryStats,
  type Readiness,
  type SourcePreview_Serialize as SourcePreview,
  type SourceView_Serialize as SourceView,
  type TaskView_Serialize as TaskView,
  type UpdateOffer_Serialize as UpdateOffer,
  type UpdateProgressEvent_Serialize as UpdateProgress,
} from "./bindings";

// What the core sends is the `_Serialize` shape (every field present); what the UI sends
// for a new task, a library query or item details is the `_Deserialize` shape (unset
// fields take the core's defaults).
export type {
  AccountView_Serialize as AccountView,
  AddTaskOptions_Deserialize as AddTaskOptions,
  BinEntryView_Serialize as BinEntryView,
  ClipboardOffer,
  CoreError,
  DayVolume_Serialize as DayVolume,
  DebridSettings_Serialize as DebridSettings,
  DesktopSettings_Serialize as DesktopSettings,
  DownloadState,
  DownloadView_Serialize as DownloadView,
  ErrorCode,
  FaceScanReport,
  FacesSettings_Serialize as FacesSettings,
  FacesStatus_Serialize as FacesStatus,
  FaceView_Serialize as FaceView,
  FileRules_Serialize as FileRules,
  FileSelection,
  ItemDetails_Deserialize as ItemDetails,
  ItemId,
  ItemOrigin,
  ItemState,
  LibraryFilter_Deserialize as LibraryFilter,
  LibraryItemView_Serialize as LibraryItemView,
  LibraryPage_Serialize as LibraryPage,
  LibraryProgress,
  LibraryQuery_Deserialize as LibraryQuery,
  LibrarySettings_Serialize as LibrarySettings,
  LibrarySort,
  LoginMethod,
  LoginPrompt,
  LoginStatus_Serialize as LoginStatus,
  MediaKind,
  MonthCount,
  MoveDirection,
  OfferKind,
  PersonView_Serialize as PersonView,
  ProgressSnapshot_Serialize as ProgressSnapshot,
  Provider,
  ScanFailure,
  ScanReport,
  SegmentProgress,
  Settings_Serialize as Settings,
  TaskFileView_Serialize as TaskFileView,
  TaskState,
  TaskView_Serialize as TaskView,
  Theme,
  TransferProgress_Serialize as TransferProgress,
  UpdateOffer_Serialize as UpdateOffer,
  UpdateProgressEvent_Serialize as UpdateProgress,
  UpdateSettings_Serialize as UpdateSettings,
  AddSource_Deserialize as AddSource,
  EditSource_Deserialize as EditSource,
  HistoryPage_Serialize as HistoryPage,
  HistoryQuery_Deserialize as HistoryQuery,
  HistoryStats_Serialize as HistoryStats,
  Readiness,
  ReadinessCheck,
  SourcePreview_Serialize as SourcePreview,
  SourceView_Serialize as SourceView,
  SpeedPoint,
  TopSource,
} from "./bindings";

// Named through the types that carry them, so these hold whether the generator emits one
// shape or a `_Serialize`/`_Deserialize` pair for them.
/** When a source is checked, as the core sends it (`every` seconds, a `cron` expression, `auto`). */
export type Schedule = SourceView["schedule"];
/** A schedule as the UI sends it (with a new or edited source). */
export type ScheduleInput = EditSource["schedule"];
export type SourceState = SourceView["state"];
export type SourceOptions = SourceView["options"];
/** One media item of a source's preview. */
export type PreviewItem = SourcePreview["items"][number];
/** One file in the history. */
export type HistoryEntry = HistoryPage["entries"][number];
/**
 * yt-dlp, gallery-dl or ffmpeg as diagnostics show them. Taken from the command: with only
 * optional fields, the generator may name it `ToolStatus` or `ToolStatus_Serialize`.
 */
export type ToolStatus = Extract<Awaited<ReturnType<typeof commands.extractorsStatus>>, { status: "ok" }>["data"][number];

type Result<T, E> = { status: "ok"; data: T } | { status: "error"; error: E };

/** What every call resolves to: a value, or the core's typed error. It never rejects. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: CoreError };

// A Record forces this list to name every code the generated ErrorCode has.
const ERROR_CODES: Record<ErrorCode, true> = {
  InvalidUrl: true,
  InvalidInput: true,
  InvalidSetting: true,
  NotFound: true,
  InvalidState: true,
  Network: true,
  HttpStatus: true,
  LinkRefused: true,
  RangeMismatch: true,
  DiskFull: true,
  PermissionDenied: true,
  Io: true,
  Database: true,
  DataDirInUse: true,
  ChecksumMismatch: true,
  RemoteFileChanged: true,
  Internal: true,
  InvalidMagnet: true,
  InvalidTorrent: true,
  AuthRequired: true,
  AccountRestricted: true,
  ProviderLimit: true,
  ProviderUnavailable: true,
  ProviderFailed: true,
  ProviderProtocol: true,
  Keyring: true,
  UpdateUnavailable: true,
  UpdateRefused: true,
  SystemIntegration: true,
  MediaLimit: true,
  MediaCorrupt: true,
  MediaUnsupported: true,
  ToolMissing: true,
  ModelUnavailable: true,
  ModelRefused: true,
  SourceRateLimited: true,
  SourceLoginRequired: true,
  SourceGone: true,
  SourceBlocked: true,
  SourceLayout: true,
  UnsupportedUrl: true,
  ToolFailed: true,
  ToolTimeout: true,
  MalformedOutput: true,
  NotAuthenticated: true,
  TotpRequired: true,
  CsrfRejected: true,
  LockedOut: true,
  TooManyRequests: true,
  DirNotAllowed: true,
};

function isCoreError(value: unknown): value is CoreError {
  if (typeof value !== "object" || value === null) return false;
  const { code, message } = value as Record<string, unknown>;
  return typeof code === "string" && Object.prototype.hasOwnProperty.call(ERROR_CODES, code) && typeof message === "string";
}

/**
 * Turns anything that came back across the IPC boundary as a failure into a CoreError,
 * so the UI only ever shows a message, never a raw exception.
 */
export function toCoreError(value: unknown): CoreError {
  if (isCoreError(value)) return value;
  const detail =
    value instanceof Error
      ? value.message
      : typeof value === "string"
        ? value
        : "";
  return {
    code: "Internal",
    message: detail ? `Could not reach the Haul core: ${detail}` : "Could not reach the Haul core.",
  };
}

async function run<T>(call: () => Promise<Result<T, CoreError>>): Promise<Outcome<T>> {
  try {
    const result = await call();
    return result.status === "ok"
      ? { ok: true, value: result.data }
      : { ok: false, error: toCoreError(result.error) };
  } catch (e) {
    return { ok: false, error: toCoreError(e) };
  }
}

/** A subscription to a core event: the unsubscribe function, or why it failed (never thrown). */
async function subscribe(listen: () => Promise<() => void>): Promise<Outcome<() => void>> {
  try {
    return { ok: true, value: await listen() };
  } catch (e) {
    return { ok: false, error: toCoreError(e) };
  }
}

export const api = {
  addDownload: (url: string, dir: string | null = null): Promise<Outcome<DownloadView>> =>
    run(() => commands.addDownload(url, dir)),
  listDownloads: (): Promise<Outcome<DownloadView[]>> => run(() => commands.listDownloads()),
  pauseDownload: (id: number): Promise<Outcome<DownloadView>> =>
    run(() => commands.pauseDownload(id)),
  resumeDownload: (id: number): Promise<Outcome<DownloadView>> =>
    run(() => commands.resumeDownload(id)),
  cancelDownload: (id: number): Promise<Outcome<DownloadView>> =>
    run(() => commands.cancelDownload(id)),
  removeDownload: (id: number, deleteFile: boolean): Promise<Outcome<null>> =>
    run(() => commands.removeDownload(id, deleteFile)),
  /** Moves a download one place in the queue (the order `listDownloads` returns). */
  moveDownload: (id: number, direction: MoveDirection): Promise<Outcome<null>> =>
    run(() => commands.moveDownload(id, direction)),
  pauseAll: (): Promise<Outcome<null>> => run(() => commands.pauseAll()),
  resumeAll: (): Promise<Outcome<null>> => run(() => commands.resumeAll()),
  getSettings: (): Promise<Outcome<Settings>> => run(() => commands.getSettings()),
  updateSettings: (settings: Settings): Promise<Outcome<Settings>> =>
    run(() => commands.updateSettings(settings)),

  /** Adds a debrid task from a magnet link or the path of a .torrent file. */
  addTask: (source: string, options: AddTaskOptions): Promise<Outcome<TaskView>> =>
    run(() => commands.addTask(source, options)),
  /** Adds a debrid task from a .torrent file's bytes (one number per byte, as IPC carries them). */
  addTorrent: (bytes: number[], options: AddTaskOptions): Promise<Outcome<TaskView>> =>
    run(() => commands.addTorrent(bytes, options)),
  listTasks: (): Promise<Outcome<TaskView[]>> => run(() => commands.listTasks()),
  selectTaskFiles: (id: number, indexes: number[]): Promise<Outcome<TaskView>> =>
    run(() => commands.selectTaskFiles(id, indexes)),
  pauseTask: (id: number): Promise<Outcome<TaskView>> => run(() => commands.pauseTask(id)),
  resumeTask: (id: number): Promise<Outcome<TaskView>> => run(() => commands.resumeTask(id)),
  retryTask: (id: number): Promise<Outcome<TaskView>> => run(() => commands.retryTask(id)),
  cancelTask: (id: number): Promise<Outcome<TaskView>> => run(() => commands.cancelTask(id)),
  removeTask: (id: number, deleteFiles: boolean): Promise<Outcome<null>> =>
    run(() => commands.removeTask(id, deleteFiles)),

  /** Every provider and whether it has a credential; asks no provider. */
  listAccounts: (): Promise<Outcome<AccountView[]>> => run(() => commands.listAccounts()),
  /** Asks the provider who the stored credential belongs to. */
  checkAccount: (provider: Provider): Promise<Outcome<AccountView>> =>
    run(() => commands.checkAccount(provider)),
  startLogin: (provider: Provider): Promise<Outcome<LoginPrompt>> =>
    run(() => commands.startLogin(provider)),
  /** One poll of a login started with `startLogin`; the UI repeats it every `pollIntervalSeconds`. */
  pollLogin: (loginId: number): Promise<Outcome<LoginStatus>> =>
    run(() => commands.pollLogin(loginId)),
  setApiKey: (provider: Provider, key: string): Promise<Outcome<AccountView>> =>
    run(() => commands.setApiKey(provider, key)),
  logout: (provider: Provider): Promise<Outcome<AccountView>> => run(() => commands.logout(provider)),

  /** The magnet or http(s) link on the clipboard, for the quick-add field; null for anything else. */
  clipboardSuggestion: (): Promise<Outcome<ClipboardOffer | null>> =>
    run(() => commands.clipboardSuggestion()),
  /** Opens (or brings forward) the small quick-add window. */
  openQuickAdd: (): Promise<Outcome<null>> => run(() => commands.openQuickAdd()),
  /** Closes the quick-add window; called from inside it. */
  closeQuickAdd: (): Promise<Outcome<null>> => run(() => commands.closeQuickAdd()),

  /** Asks the update endpoint; null means Haul is up to date. */
  checkForUpdate: (): Promise<Outcome<UpdateOffer | null>> => run(() => commands.checkForUpdate()),
  /** The update the start-up check found before the window was listening, if any. */
  pendingUpdate: (): Promise<Outcome<UpdateOffer | null>> => run(() => commands.pendingUpdate()),
  /**
   * Downloads the offered update and verifies its signature; resolves once it is verified.
   * `UpdateRefused`: the signature is wrong and nothing was installed. `UpdateUnavailable`:
   * it could not be fetched.
   */
  downloadUpdate: (): Promise<Outcome<null>> => run(() => commands.downloadUpdate()),
  /** Installs the verified update and restarts Haul. */
  installUpdate: (): Promise<Outcome<null>> => run(() => commands.installUpdate()),

  /**
   * One page of the library (at most 1000 items). Paging is keyset: pass the page's
   * `nextCursor` back, with the same filter and sort, for the next one.
   */
  libraryList: (query: LibraryQuery): Promise<Outcome<LibraryPage>> =>
    run(() => commands.libraryList(query)),
  /** How many present items match the filter. */
  libraryCount: (filter: LibraryFilter): Promise<Outcome<number>> =>
    run(() => commands.libraryCount(filter)),
  /** Items per month (`YYYY-MM`, UTC, of `sortAt`), newest first: the date scrubber's marks. */
  libraryMonths: (filter: LibraryFilter): Promise<Outcome<MonthCount[]>> =>
    run(() => commands.libraryMonths(filter)),
  /** Sets what the user may edit (posted date, tags, description); returns the item. */
  libraryUpdateDetails: (id: number, details: ItemDetails): Promise<Outcome<LibraryItemView>> =>
    run(() => commands.libraryUpdateDetails(id, details)),
  /** Sets of present items with the same content. */
  libraryDuplicates: (): Promise<Outcome<LibraryItemView[][]>> =>
    run(() => commands.libraryDuplicates()),
  /** Groups of images within `distance` bits of each other (0–15; null: the core's default). */
  librarySimilar: (distance: number | null): Promise<Outcome<LibraryItemView[][]>> =>
    run(() => commands.librarySimilar(distance)),
  /** Moves items to the recycle bin; resolves to their ids (which name their bin entries). */
  libraryRemove: (ids: number[]): Promise<Outcome<number[]>> => run(() => commands.libraryRemove(ids)),
  /** Adds a folder (an absolute path) to the library and scans it; resolves when the scan is done. */
  libraryAddFolder: (path: string): Promise<Outcome<ScanReport>> =>
    run(() => commands.libraryAddFolder(path)),
  /** Pauses (true) or resumes (false) the library's background work (a folder scan). */
  librarySetPaused: (paused: boolean): Promise<Outcome<null>> =>
    run(async () => {
      await commands.librarySetPaused(paused);
      return { status: "ok", data: null };
    }),
  /** The recycle bin, most recently removed first. */
  binList: (): Promise<Outcome<BinEntryView[]>> => run(() => commands.binList()),
  /** Puts bin entries (named by their items' ids) back; resolves to where each file went. */
  binRestore: (ids: number[]): Promise<Outcome<string[]>> => run(() => commands.binRestore(ids)),
  /** Deletes bin entries for good; resolves to how many. */
  binPurge: (ids: number[]): Promise<Outcome<number>> => run(() => commands.binPurge(ids)),
  /** Deletes everything in the bin for good; resolves to how many. */
  binEmpty: (): Promise<Outcome<number>> => run(() => commands.binEmpty()),

  /**
   * Where face analysis stands: models installed (and which are missing), photos analysed,
   * waiting and failed, faces and people found, the last scan's error.
   */
  facesStatus: (): Promise<Outcome<FacesStatus>> => run(() => commands.facesStatus()),
  /**
   * Downloads the missing face models (checked against the manifest before they are kept).
   * `ModelUnavailable`: they could not be fetched (the message names `haul faces models install`).
   */
  facesFetchModels: (): Promise<Outcome<null>> => run(() => commands.facesFetchModels()),
  /**
   * Analyses every photo not analysed yet and groups the faces; resolves when done. Progress
   * comes as library progress events with the job "faces".
   */
  facesScan: (): Promise<Outcome<FaceScanReport>> => run(() => commands.facesScan()),
  /** Groups every face again, keeping the user's corrections; resolves to the people formed. */
  facesRegroup: (): Promise<Outcome<number>> => run(() => commands.facesRegroup()),
  /** The people found, hidden ones too when asked. */
  peopleList: (includeHidden: boolean): Promise<Outcome<PersonView[]>> =>
    run(() => commands.peopleList(includeHidden)),
  /** A person's best faces (at most `limit`). */
  personFaces: (id: number, limit: number): Promise<Outcome<FaceView[]>> =>
    run(() => commands.personFaces(id, limit)),
  /** The faces in one library item (boxes in fractions of the photo as displayed). */
  itemFaces: (itemId: number): Promise<Outcome<FaceView[]>> => run(() => commands.itemFaces(itemId)),
  /** Names a person (an empty name clears it); a name someone else has is refused: merge instead. */
  personRename: (id: number, name: string): Promise<Outcome<PersonView>> =>
    run(() => commands.personRename(id, name)),
  personSetHidden: (id: number, hidden: boolean): Promise<Outcome<PersonView>> =>
    run(() => commands.personSetHidden(id, hidden)),
  /** Merges `from` into `into`; resolves to the merged person. */
  peopleMerge: (from: number, into: number): Promise<Outcome<PersonView>> =>
    run(() => commands.peopleMerge(from, into)),
  /** Moves a face to a person, or to nobody (null); by hand, so grouping leaves it there. */
  faceMove: (faceId: number, personId: number | null): Promise<Outcome<FaceView>> =>
    run(() => commands.faceMove(faceId, personId)),
  /** "Not this person": the face leaves its person for good. */
  faceReject: (faceId: number): Promise<Outcome<FaceView>> => run(() => commands.faceReject(faceId)),
  /**
   * "This is NAME": the photo's largest face becomes a reference for the person of that name
   * (created if nobody has it).
   */
  /** "This is NAME" for one face: it joins (or starts) the person of that name as a reference. */
  faceName: (faceId: number, name: string): Promise<Outcome<PersonView>> =>
    run(() => commands.faceName(faceId, name)),
  personAddReference: (name: string, itemId: number): Promise<Outcome<PersonView>> =>
    run(() => commands.personAddReference(name, itemId)),

  /** Every followed source (thread, subreddit, account), with its state and counts. */
  sourcesList: (): Promise<Outcome<SourceView[]>> => run(() => commands.sourcesList()),
  /** Follows a URL; its first check starts at once. */
  sourceAdd: (source: AddSource): Promise<Outcome<SourceView>> => run(() => commands.sourceAdd(source)),
  /** What a URL is and its first items, before following it (nothing is recorded). */
  sourcePreview: (url: string): Promise<Outcome<SourcePreview>> => run(() => commands.sourcePreview(url)),
  sourceEdit: (id: number, edit: EditSource): Promise<Outcome<SourceView>> =>
    run(() => commands.sourceEdit(id, edit)),
  sourcePause: (id: number): Promise<Outcome<SourceView>> => run(() => commands.sourcePause(id)),
  /** Resumes a paused (or failing, or gone) source; its next check is due at once. */
  sourceResume: (id: number): Promise<Outcome<SourceView>> => run(() => commands.sourceResume(id)),
  /** Starts a check now and resolves at once; `sources-changed` events follow it. */
  sourceCheck: (id: number): Promise<Outcome<SourceView>> => run(() => commands.sourceCheck(id)),
  /** Checks past the usual limits until a known post: fills a gap a check reported. */
  sourceFillGap: (id: number): Promise<Outcome<SourceView>> => run(() => commands.sourceFillGap(id)),
  /** Stops following a source; with `deleteFiles` its files go to the bin (resolves to how many). */
  sourceRemove: (id: number, deleteFiles: boolean): Promise<Outcome<number>> =>
    run(() => commands.sourceRemove(id, deleteFiles)),
  /** Stores an account's cookies (a cookies.txt's text) in the OS keyring; resolves to their domains. */
  cookiesImport: (account: string, text: string): Promise<Outcome<string[]>> =>
    run(() => commands.cookiesImport(account, text)),
  /** yt-dlp, gallery-dl and ffmpeg as found now. */
  extractorsStatus: (): Promise<Outcome<ToolStatus[]>> => run(() => commands.extractorsStatus()),
  /** Installs the pinned yt-dlp and gallery-dl into the data folder. */
  extractorsInstall: (): Promise<Outcome<ToolStatus[]>> => run(() => commands.extractorsInstall()),
  /** One page of the history, newest first; pass the page's `next` back as `cursor` for the next. */
  historySearch: (query: HistoryQuery): Promise<Outcome<HistoryPage>> =>
    run(() => commands.historySearch(query)),
  /** Files and bytes per day, hourly speed and the top sources over the last `days` days. */
  historyStats: (days: number): Promise<Outcome<HistoryStats>> =>
    run(() => commands.historyStats(days)),

  /** Every readiness check (database, disk space, providers, tools, face models), asked now. */
  diagnostics: (): Promise<Outcome<Readiness>> => run(() => commands.diagnostics()),

  /**
   * Subscribes to the core's batched progress snapshots (~4 per second).
   * Resolves to an unsubscribe function; a failure to subscribe is reported, not thrown.
   */
  async onProgressSnapshot(
    handler: (snapshot: ProgressSnapshot) => void,
  ): Promise<Outcome<() => void>> {
    try {
      const unlisten = await events.progressSnapshotEvent.listen((event) => handler(event.payload));
      return { ok: true, value: unlisten };
    } catch (e) {
      return { ok: false, error: toCoreError(e) };
    }
  },

  /** Subscribes to magnets and links copied to the clipboard (only while the setting is on). */
  onClipboardOffer: (handler: (offer: ClipboardOffer) => void): Promise<Outcome<() => void>> =>
    subscribe(() => events.clipboardOfferEvent.listen((event) => handler(event.payload))),

  /** Subscribes to updates the core found by itself (at start-up, or from the tray). */
  onUpdateAvailable: (handler: (offer: UpdateOffer) => void): Promise<Outcome<() => void>> =>
    subscribe(() => events.updateAvailableEvent.listen((event) => handler(event.payload))),

  /** Subscribes to the download progress of an update (`total` is null when the server sends no length). */
  onUpdateProgress: (handler: (progress: UpdateProgress) => void): Promise<Outcome<() => void>> =>
    subscribe(() => events.updateProgressEvent.listen((event) => handler(event.payload))),

  /** Subscribes to library changes (items added, edited, binned, restored, purged; batched). */
  onLibraryChanged: (handler: () => void): Promise<Outcome<() => void>> =>
    subscribe(() => events.libraryChangedEvent.listen(() => handler())),

  /** Subscribes to the progress of the library's background work (a folder scan, catching up). */
  onLibraryProgress: (handler: (progress: LibraryProgress) => void): Promise<Outcome<() => void>> =>
    subscribe(() => events.libraryProgressEvent.listen((event) => handler(event.payload))),

  /** Subscribes to changes of people (faces found, grouped or corrected). */
  onPeopleChanged: (handler: () => void): Promise<Outcome<() => void>> =>
    subscribe(() => events.peopleChangedEvent.listen(() => handler())),

  /** Subscribes to changes of sources (added, edited, checked, removed). */
  onSourcesChanged: (handler: () => void): Promise<Outcome<() => void>> =>
    subscribe(() => events.sourcesChangedEvent.listen(() => handler())),

  /** Subscribes to files added to the history. */
  onHistoryChanged: (handler: () => void): Promise<Outcome<() => void>> =>
    subscribe(() => events.historyChangedEvent.listen(() => handler())),

  /** Subscribes to what Haul refused to open from outside (a second launch, a link handler). */
  async onLaunchRejected(handler: (message: string) => void): Promise<Outcome<() => void>> {
    try {
      const unlisten = await events.launchRejectedEvent.listen((event) => handler(event.payload.message));
      return { ok: true, value: unlisten };
    } catch (e) {
      return { ok: false, error: toCoreError(e) };
    }
  },
};

/**
 * Listens while a component is mounted: pass it to `onMount` as
 * `onMount(() => listenWhileMounted(api.onX(handler)))`. A listener that arrives after the
 * component is gone is removed at once.
 */
export function listenWhileMounted(subscription: Promise<Outcome<() => void>>): () => void {
  let unlisten: (() => void) | null = null;
  let stopped = false;
  void subscription.then((result) => {
    if (!result.ok) return;
    if (stopped) result.value();
    else unlisten = result.value;
  });
  return () => {
    stopped = true;
    unlisten?.();
  };
}
