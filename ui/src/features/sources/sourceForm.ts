// The Add/Edit source dialog's form: the fields as typed, what the core is sent for a new
// source (AddSource) or an edited one (EditSource), and the problems the dialog points
// out before asking (the core checks everything again and its message is shown as is).

import type { AddSource, EditSource, SourcePreview, SourceView } from "$lib/ipc/api";
import {
  defaultScheduleForm,
  formToSchedule,
  scheduleToForm,
  wholeNumber,
  type ScheduleField,
  type ScheduleForm,
} from "./scheduleForm";

/** The extractors a source can be read with (the core's ExtractorKind). */
export const EXTRACTORS: readonly { value: string; label: string }[] = [
  { value: "direct", label: "Direct link" },
  { value: "web", label: "Web page" },
  { value: "xenforo", label: "XenForo forum" },
  { value: "reddit", label: "Reddit" },
  { value: "yt-dlp", label: "yt-dlp" },
  { value: "gallery-dl", label: "gallery-dl" },
];

/** The file-name template the settings use unless they were changed (settings.rs). */
export const DEFAULT_TEMPLATE = "{platform}/{account}/{date:%Y-%m-%d}_{post_id}_{index}.{ext}";

export type SourceForm = {
  url: string;
  name: string;
  schedule: ScheduleForm;
  /** An absolute path; empty: the settings' download folder. */
  dir: string;
  /** Whose cookies it uses; empty: none. */
  account: string;
  /** "" for the platform's default (add only). */
  extractor: string;
  template: string;
  firstLimit: string;
  stopAfterKnown: string;
};

export type SourceField = "url" | "name" | "dir" | "account" | "template" | "firstLimit" | "stopAfterKnown" | ScheduleField;
export type SourceProblems = Partial<Record<SourceField, string>>;

export function newSourceForm(url = ""): SourceForm {
  return {
    url,
    name: "",
    schedule: defaultScheduleForm(),
    dir: "",
    account: "",
    extractor: "",
    template: "",
    firstLimit: "",
    stopAfterKnown: "",
  };
}

/** The form for editing a source as it is now. */
export function formOfSource(source: SourceView): SourceForm {
  return {
    url: source.url,
    name: source.name,
    schedule: scheduleToForm(source.schedule),
    dir: source.ownDir ? source.dir : "",
    account: source.account ?? "",
    extractor: source.extractor,
    template: source.options.template ?? "",
    firstLimit: source.options.firstLimit == null ? "" : String(source.options.firstLimit),
    stopAfterKnown: source.options.stopAfterKnown == null ? "" : String(source.options.stopAfterKnown),
  };
}

/**
 * The name field after a preview: the suggestion fills it while the user has not typed
 * their own (`previous` is the suggestion it was filled with last).
 */
export function suggestedName(current: string, previous: string | null, preview: SourcePreview): string {
  const untouched = current.trim() === "" || (previous !== null && current === previous);
  return untouched ? preview.suggestedName : current;
}

/** Whether the text is worth asking the core about: an http(s) link with a host. */
export function looksLikeUrl(text: string): boolean {
  return /^https?:\/\/[^\s/?#]+\.[^\s/?#]+\S*$/i.test(text.trim());
}

export function looksAbsolute(path: string): boolean {
  return /^(\/|[a-zA-Z]:[\\/]|\\\\)/.test(path.trim());
}

/** The core's rule for account names (cookies.rs). */
export function accountProblem(account: string): string | null {
  const name = account.trim();
  if (name === "") return null;
  if (name.length > 64 || !/^[\p{L}\p{N}._@-]+$/u.test(name)) {
    return "An account name is 1 to 64 letters, digits, '.', '_', '@' or '-'.";
  }
  return null;
}

const blank = (text: string): string | null => (text.trim() === "" ? null : text.trim());

function limit(text: string): number | null | "bad" {
  return text.trim() === "" ? null : (wholeNumber(text) ?? "bad");
}

function options(form: SourceForm, problems: SourceProblems) {
  const firstLimit = limit(form.firstLimit);
  const stopAfterKnown = limit(form.stopAfterKnown);
  if (firstLimit === "bad") problems.firstLimit = "A whole number of posts (at least 1), or empty for the settings' value.";
  if (stopAfterKnown === "bad") problems.stopAfterKnown = "A whole number of posts (at least 1), or empty for the settings' value.";
  return {
    template: blank(form.template),
    firstLimit: firstLimit === "bad" ? null : firstLimit,
    stopAfterKnown: stopAfterKnown === "bad" ? null : stopAfterKnown,
  };
}

function common(form: SourceForm, problems: SourceProblems) {
  const schedule = formToSchedule(form.schedule);
  if (!schedule.ok) problems[schedule.problem.field] = schedule.problem.message;
  const dir = blank(form.dir);
  if (dir !== null && !looksAbsolute(dir)) problems.dir = "Type the folder's full path, e.g. /home/you/Pictures.";
  const account = accountProblem(form.account);
  if (account !== null) problems.account = account;
  return { schedule: schedule.ok ? schedule.schedule : null, dir, account: blank(form.account), options: options(form, problems) };
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problems: SourceProblems };

/** What `sourceAdd` is sent, or what to fix first. */
export function toAddSource(form: SourceForm): Checked<AddSource> {
  const problems: SourceProblems = {};
  if (!looksLikeUrl(form.url)) problems.url = "Paste the link of a thread, a subreddit or an account (https://…).";
  const fields = common(form, problems);
  if (Object.keys(problems).length > 0 || fields.schedule === null) return { ok: false, problems };
  return {
    ok: true,
    value: {
      url: form.url.trim(),
      name: blank(form.name),
      schedule: fields.schedule,
      dir: fields.dir,
      account: fields.account,
      extractor: form.extractor === "" ? null : form.extractor,
      options: fields.options,
    },
  };
}

/** What `sourceEdit` is sent, or what to fix first. */
export function toEditSource(form: SourceForm): Checked<EditSource> {
  const problems: SourceProblems = {};
  if (form.name.trim() === "") problems.name = "A source needs a name.";
  const fields = common(form, problems);
  if (Object.keys(problems).length > 0 || fields.schedule === null) return { ok: false, problems };
  return {
    ok: true,
    value: {
      name: form.name.trim(),
      schedule: fields.schedule,
      dir: fields.dir,
      account: fields.account,
      extractor: form.extractor,
      options: fields.options,
    },
  };
}
