import { SKIP_WAITING } from './messages';

export interface OfflineStatus {
  /** A newer deployment of the course is installed and waits for the reader to reload. */
  updateReady: boolean;
}

/**
 * Registers the course's service worker (`${base}/sw.js`, scope `${base}/`), and tells `onChange`
 * when a new deployment is ready to take over. `applyUpdate` lets it take over and reloads the page
 * once it has, so the page never runs on a mix of two deployments.
 */
export async function registerServiceWorker(base: string, onChange: (status: OfflineStatus) => void): Promise<{ applyUpdate(): void } | undefined> {
  if (!('serviceWorker' in navigator)) return undefined;
  const registration = await navigator.serviceWorker.register(`${base}/sw.js`, { scope: `${base}/` });
  const report = () => onChange({ updateReady: registration.waiting !== null && navigator.serviceWorker.controller !== null });
  const watch = (worker: ServiceWorker | null) => worker?.addEventListener('statechange', report);
  watch(registration.installing);
  registration.addEventListener('updatefound', () => watch(registration.installing));
  report();
  return {
    applyUpdate() {
      const waiting = registration.waiting;
      if (!waiting) return;
      navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
      waiting.postMessage({ type: SKIP_WAITING });
    },
  };
}
