/** Loads a script once per URL; resolves when it has run. */
const loads: Record<string, Promise<void>> = {};

export function loadScript(src: string): Promise<void> {
  return (loads[src] ||= new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.async = true;
    s.src = src;
    s.onload = () => resolve();
    s.onerror = reject;
    document.head.appendChild(s);
  }));
}
