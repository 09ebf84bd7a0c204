/** Paging of list queries: what a caller asks for and the page it gets back. */

export interface PageRequest {
  limit: number;
  /** Id of the last item of the previous page. */
  after?: string | undefined;
}

export interface Page<T> {
  items: T[];
  /** Id to pass as `after` for the next page, or null on the last page. */
  next: string | null;
}
