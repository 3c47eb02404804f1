/** Wraps a function so that a bug in the tracker never becomes an error in the store's page. */
export function guard<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void {
  return (...args) => {
    try {
      fn(...args);
    } catch {
      // Swallowed on purpose: the page must not see the tracker's errors.
    }
  };
}
