import type { AnchorHTMLAttributes } from 'react';
import { sitePath } from '@/lib/site';

/**
 * A link to a lesson page: a plain anchor, so the page opens as a document of its own. A lesson page's
 * sandbox is started by a boot script in its HTML, before React (runtime/boot/); a client-side
 * navigation would render the page without running that script, and would carry one lesson's sandbox
 * (its models and data) into another lesson's page. `href` is the page's path in the course
 * (`/lesson/page/`, optionally with a `#fragment`); the site's base path is added here.
 */
export function LessonPageLink({ href, ...props }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  if (!href.startsWith('/')) throw new Error(`a lesson page's href starts with "/": ${href}`);
  return <a href={sitePath(href as `/${string}`)} {...props} />;
}
