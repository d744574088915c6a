import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { earlyRunsScript } from '@/components/cell/earlyRuns';
import { OfflineSupport } from '@/components/site/OfflineSupport';
import { themeBootScript } from '@/components/site/themeScript';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Deep Learning in the Browser', template: '%s · Deep Learning in the Browser' },
  description: 'Interactive lessons that read like a textbook and run like a notebook.',
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#fbfaf7' },
    { media: '(prefers-color-scheme: dark)', color: '#111418' },
  ],
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: themeBootScript }} />
        <script dangerouslySetInnerHTML={{ __html: earlyRunsScript }} />
      </head>
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        {children}
        <OfflineSupport />
      </body>
    </html>
  );
}
