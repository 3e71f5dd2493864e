// AIP-158 paging over any Accord List method.
//
// A Pager sends the request, then the same request with page_token set to the
// previous response's next_page_token, until a response has an empty token.
// Pages are fetched lazily, one at a time, as the caller iterates. Iterating
// a Pager yields items; pages() yields whole responses (with total_size).
// Errors are thrown as AccordError (see errors.ts).
import { toAccordError } from "./errors.js";

/** Fetches one page given its page token ("" for the first). */
export type PageFetcher<Res> = (pageToken: string) => Promise<Res>;

/** Lazily walks a List to its end. */
export class Pager<Item, Res extends { nextPageToken: string }> implements AsyncIterable<Item> {
  /**
   * @param fetch fetches the page with a given token
   * @param itemsOf the items of one response, e.g. (r) => r.agreements
   * @param firstToken the token to start from ("" for the first page)
   */
  constructor(
    private readonly fetch: PageFetcher<Res>,
    private readonly itemsOf: (response: Res) => Item[],
    private readonly firstToken = "",
  ) {}

  /** Yields every response, from the first page to the last. */
  async *pages(): AsyncGenerator<Res, void, undefined> {
    let token = this.firstToken;
    for (;;) {
      let response: Res;
      try {
        response = await this.fetch(token);
      } catch (err) {
        throw toAccordError(err);
      }
      yield response;
      if (response.nextPageToken === "") return;
      token = response.nextPageToken;
    }
  }

  /** Yields every item of every page, in order. */
  async *[Symbol.asyncIterator](): AsyncGenerator<Item, void, undefined> {
    for await (const page of this.pages()) {
      yield* this.itemsOf(page);
    }
  }

  /** Collects every item into an array (fetching every page). */
  async toArray(): Promise<Item[]> {
    const out: Item[] = [];
    for await (const item of this) out.push(item);
    return out;
  }
}
