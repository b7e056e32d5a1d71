// Sources as the core sends them, for tests.

import type { SourcePreview, SourceView } from "$lib/ipc/api";

export function source(id: number, patch: Partial<SourceView> = {}): SourceView {
  return {
    id,
    url: `https://forum.example.com/threads/thread.${id}/`,
    name: `Thread ${id}`,
    platform: "xenforo",
    extractor: "xenforo",
    account: null,
    dir: "/home/user/Downloads",
    ownDir: false,
    schedule: { kind: "every", seconds: 3600 },
    scheduleText: "every 1h",
    options: { template: null, stopAfterKnown: null, firstLimit: null },
    state: "active",
    errorCode: null,
    errorMessage: null,
    checks: 3,
    lastCheckAt: 1_800_000_000_000,
    nextCheckAt: 1_800_003_600_000,
    lastNew: 2,
    gap: false,
    pending: 1,
    done: 10,
    failed: 0,
    ...patch,
  };
}

export function preview(patch: Partial<SourcePreview> = {}): SourcePreview {
  return {
    url: "https://www.reddit.com/r/EarthPorn/",
    platform: "reddit",
    extractor: "reddit",
    suggestedName: "r/EarthPorn",
    title: "EarthPorn",
    posts: 25,
    items: [
      {
        postId: "abc",
        account: "someone",
        postedAt: 1_790_000_000,
        caption: "A lake at dawn",
        url: "https://i.redd.it/lake.jpg",
        kind: "image",
        name: null,
      },
    ],
    ...patch,
  };
}
