// The history's loaded entries and where paging stands: keyset pages of PAGE_SIZE asked
// one at a time, each continuing from the previous page's `next` cursor, until `next` is
// null. A new query (a filter changed, a refresh) starts over, and an answer that belongs
// to an earlier query is dropped. Plain (not reactive): 100k entries stay plain objects;
// the store signals changes.

import type { HistoryEntry, HistoryPage, HistoryQuery } from "$lib/ipc/api";
import { toHistoryQuery, emptyFilters } from "./historyModel";

export type PageRequest = { generation: number; query: HistoryQuery };

export class HistoryPager {
  entries: HistoryEntry[] = [];
  /** Entries matching the query over all pages; null until the first page. */
  total: number | null = null;
  next: string | null = null;
  /** Every page was fetched (the last `next` was null). */
  done = false;
  /** A request is in flight. */
  loading = false;
  /** Counts queries; a page answered for an older one is dropped. */
  generation = 0;
  #query: HistoryQuery = toHistoryQuery(emptyFilters());

  get query(): HistoryQuery {
    return this.#query;
  }

  /**
   * Starts over with `query` (its cursor is ignored); the first page's request. What was
   * loaded stays until that page replaces it, so the list does not blink empty.
   */
  reset(query: HistoryQuery): PageRequest {
    this.generation++;
    this.#query = { ...query, cursor: null };
    this.next = null;
    this.done = false;
    this.loading = true;
    return { generation: this.generation, query: this.#query };
  }

  /** The next page's request, or null while one is in flight, before the first, or at the end. */
  more(): PageRequest | null {
    if (this.loading || this.done || this.next === null) return null;
    this.loading = true;
    return { generation: this.generation, query: { ...this.#query, cursor: this.next } };
  }

  /** Takes a page in; false (and nothing changes) when it answers an earlier query. */
  accept(request: PageRequest, page: HistoryPage): boolean {
    if (request.generation !== this.generation) return false;
    if (request.query.cursor == null) this.entries = [...page.entries];
    else this.entries.push(...page.entries);
    this.total = page.total;
    this.next = page.next;
    this.done = page.next === null;
    this.loading = false;
    return true;
  }

  /**
   * A request failed; false when it belonged to an earlier query. A next page can be asked
   * again; a failed first page empties the list (what it showed was another query's).
   */
  fail(request: PageRequest): boolean {
    if (request.generation !== this.generation) return false;
    if (request.query.cursor == null) {
      this.entries = [];
      this.total = null;
    } else {
      this.next = request.query.cursor;
    }
    this.loading = false;
    return true;
  }
}
