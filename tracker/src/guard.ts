/** Wraps a function so that a bug in the tracker never becomes an error in the store's page. */
export function guard<A extends unknown[], R>(fn: (...args: A) => R, fallback: R): (...args: A) => R {
  return (...args) => {
    try {
      return fn(...args);
    } catch {
      return fallback;
    }
  };
}
