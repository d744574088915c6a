'use client';

import { useEffect, useRef, useState } from 'react';
import { BASE_PATH } from '@/lib/site';
import { registerServiceWorker, whenPageSettled } from '@/runtime';
import styles from './OfflineSupport.module.css';

/**
 * Makes the course work offline after one visit: registers the service worker once the page has
 * settled (after the sandbox is warm, so its download of the course does not compete with the first
 * Run), and offers a reload when a newer deployment of the course is ready.
 */
export function OfflineSupport() {
  const [updateReady, setUpdateReady] = useState(false);
  const applyUpdate = useRef<() => void>(() => {});
  useEffect(() => {
    // `next dev` serves files that change under it; only the built course registers a service worker.
    if (process.env.NODE_ENV !== 'production') return;
    let cancelled = false;
    whenPageSettled()
      .then(() => registerServiceWorker(BASE_PATH, (status) => !cancelled && setUpdateReady(status.updateReady)))
      .then((registration) => {
        if (registration) applyUpdate.current = registration.applyUpdate;
      })
      .catch(() => {
        // Without a service worker the course still works online; nothing to tell the reader.
      });
    return () => {
      cancelled = true;
    };
  }, []);
  if (!updateReady) return null;
  return (
    <div className={styles.update} role="status">
      <span>A newer version of this course is ready.</span>
      <button type="button" onClick={() => applyUpdate.current()}>
        Reload to use it
      </button>
    </div>
  );
}
