package accord.client;

import io.grpc.StatusRuntimeException;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * Walks an AIP-158 List to its end. Iterating a Pager yields every item of every page; {@link
 * #pages()} yields whole responses (with total_size). Pages are fetched lazily, one at a time, as
 * the iteration needs them: the request is sent with an empty page token, then again with each
 * response's next_page_token until one is empty. Each iteration starts from the first page.
 * Failed calls are thrown as {@link AccordException}. Not thread-safe.
 *
 * @param <R> the List response type
 * @param <T> the item type
 */
public final class Pager<R, T> implements Iterable<T> {
  private final Function<String, R> fetch;
  private final Function<R, List<T>> items;
  private final Function<R, String> nextPageToken;
  private final String firstToken;

  /**
   * @param fetch sends the request with the given page token ("" for the first page)
   * @param items the items of one response, e.g. {@code ListAgreementsResponse::getAgreementsList}
   * @param nextPageToken the response's next_page_token
   * @param firstToken the token to start from, "" for the first page
   */
  public Pager(
      Function<String, R> fetch,
      Function<R, List<T>> items,
      Function<R, String> nextPageToken,
      String firstToken) {
    this.fetch = fetch;
    this.items = items;
    this.nextPageToken = nextPageToken;
    this.firstToken = firstToken;
  }

  /** A Pager from the first page. */
  public Pager(Function<String, R> fetch, Function<R, List<T>> items, Function<R, String> nextPageToken) {
    this(fetch, items, nextPageToken, "");
  }

  /** The responses, first to last, fetched as the iteration advances. */
  public Iterable<R> pages() {
    return () ->
        new Iterator<R>() {
          private String token = firstToken;
          private boolean done = false;

          @Override
          public boolean hasNext() {
            return !done;
          }

          @Override
          public R next() {
            if (done) throw new NoSuchElementException();
            R page;
            try {
              page = fetch.apply(token);
            } catch (StatusRuntimeException e) {
              throw AccordException.from(e);
            }
            token = nextPageToken.apply(page);
            done = token.isEmpty();
            return page;
          }
        };
  }

  @Override
  public Iterator<T> iterator() {
    Iterator<R> pageIterator = pages().iterator();
    return new Iterator<T>() {
      private Iterator<T> current = List.<T>of().iterator();

      @Override
      public boolean hasNext() {
        while (!current.hasNext() && pageIterator.hasNext()) {
          current = items.apply(pageIterator.next()).iterator();
        }
        return current.hasNext();
      }

      @Override
      public T next() {
        if (!hasNext()) throw new NoSuchElementException();
        return current.next();
      }
    };
  }

  /** Every item of every page, in order. */
  public List<T> toList() {
    java.util.ArrayList<T> out = new java.util.ArrayList<>();
    forEach(out::add);
    return out;
  }
}
