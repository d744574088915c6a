/** What the page says to the service worker: let a waiting deployment take over now. */
export const SKIP_WAITING = 'course/skip-waiting';
