import { describe, expect, it } from "vitest";
import type { AddTaskOptions, DownloadView, Outcome, TaskView } from "$lib/ipc/api";
import { addRoute, addText, type TextAdders } from "./addText";

const MAGNET = "magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567&dn=Show";

function fakeAdders(answer: { task?: Outcome<TaskView>; download?: Outcome<DownloadView> } = {}) {
  const calls: unknown[][] = [];
  const adders: TextAdders = {
    async addTask(source: string, options: AddTaskOptions) {
      calls.push(["addTask", source, options]);
      return answer.task ?? { ok: true, value: { id: 1 } as TaskView };
    },
    async addDownload(url: string) {
      calls.push(["addDownload", url]);
      return answer.download ?? { ok: true, value: { id: 2 } as DownloadView };
    },
  };
  return { adders, calls };
}

describe("addRoute", () => {
  it("sends magnets and .torrent paths to addTask", () => {
    expect(addRoute(MAGNET)).toBe("task");
    expect(addRoute("  /home/me/show.torrent ")).toBe("task");
  });

  it("sends links and anything else to addDownload (the core refuses what it cannot take)", () => {
    expect(addRoute("https://example.com/a.iso")).toBe("download");
    expect(addRoute("ftp://example.com/a.iso")).toBe("download");
    expect(addRoute("hello")).toBe("download");
  });
});

describe("addText", () => {
  it("adds a magnet as a task with the settings' defaults", async () => {
    const { adders, calls } = fakeAdders();
    const result = await addText(`  ${MAGNET}\n`, adders);
    expect(calls).toEqual([["addTask", MAGNET, {}]]);
    expect(result).toEqual({ ok: true, value: { kind: "task", task: { id: 1 } } });
  });

  it("adds a link as a download", async () => {
    const { adders, calls } = fakeAdders();
    const result = await addText(" https://example.com/a.iso ", adders);
    expect(calls).toEqual([["addDownload", "https://example.com/a.iso"]]);
    expect(result).toEqual({ ok: true, value: { kind: "download", download: { id: 2 } } });
  });

  it("passes the core's refusal on", async () => {
    const error = { code: "InvalidMagnet", message: "The magnet link has no btih info hash." } as const;
    const { adders } = fakeAdders({ task: { ok: false, error } });
    expect(await addText("magnet:?dn=x", adders)).toEqual({ ok: false, error });
  });
});
