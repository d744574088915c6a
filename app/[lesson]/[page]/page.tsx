import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getMDXComponent } from 'mdx-bundler/client';
import { preload } from 'react-dom';
import { PreparedCellsProvider } from '@/components/cell/PreparedCells';
import { KeyboardHelp } from '@/components/lesson/KeyboardHelp';
import { LessonProvider } from '@/components/lesson/LessonContext';
import { LessonOutline } from '@/components/lesson/LessonOutline';
import { PageNav } from '@/components/lesson/PageNav';
import styles from '@/components/lesson/Lesson.module.css';
import { mdxComponents } from '@/components/mdx/registry';
import { SharedLinkProblem } from '@/components/share/SharedLinkProblem';
import { SiteHeader } from '@/components/site/SiteHeader';
import type { LessonContents } from '@/components/work/lessonWork';
import { LessonWorkPanel } from '@/components/work/LessonWorkPanel';
import { getCourse, neighbours } from '@/lib/course';
import { BASE_PATH } from '@/lib/site';
import { sandboxFiles } from '@/runtime/host/assets';
import type { LessonAssets } from '@/runtime';
import { bootScriptUrl, type SandboxBootConfig } from '@/runtime/boot/pageSandbox';

/**
 * Asks the browser to fetch what the sandbox needs while it parses the page, before the page's
 * scripts run: the runtime fetches the same URLs later and gets these responses. The scripts first;
 * the lesson's models and data after them, as the first cell of a page rarely needs them at once.
 */
function preloadSandbox(assets: LessonAssets): void {
  const { scripts, wasm } = sandboxFiles(BASE_PATH);
  for (const url of [scripts.tfjs, scripts.tfjsWasm, wasm.simd.url]) preload(url, { as: 'fetch', crossOrigin: 'anonymous' });
  for (const { url } of [...Object.values(assets.models), ...Object.values(assets.datasets)]) preload(url, { as: 'fetch', crossOrigin: 'anonymous', fetchPriority: 'low' });
}

/**
 * The script that starts the page's sandbox while the page is still parsing (runtime/boot/): a plain,
 * parser-blocking script at the top of <body>, so it has run before the page's React code, which
 * adopts the sandbox it started. The browser fetches it beside the page's stylesheets, which hold the
 * first paint back anyway. The lesson's assets and the base path travel in its data-config.
 */
function SandboxBoot({ assets }: { assets: LessonAssets }) {
  const config: SandboxBootConfig = { base: BASE_PATH, lesson: assets };
  return <script src={bootScriptUrl(BASE_PATH)} data-config={JSON.stringify(config)} />;
}

interface Params {
  lesson: string;
  page: string;
}

export const dynamicParams = false;

export async function generateStaticParams(): Promise<Params[]> {
  const { course } = await getCourse();
  return course.pages.map((page) => ({ lesson: page.lessonSlug, page: page.slug }));
}

async function findPage(params: Promise<Params>) {
  const { lesson, page } = await params;
  const loaded = await getCourse();
  const current = loaded.course.pages.find((p) => p.lessonSlug === lesson && p.slug === page);
  if (!current) notFound();
  return { ...loaded, current };
}

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const { current } = await findPage(params);
  return { title: `${current.title} · ${current.lessonTitle}`, description: current.description };
}

export default async function LessonPage({ params }: { params: Promise<Params> }) {
  const { course, compiled, current } = await findPage(params);
  const page = compiled.get(current.file)!;
  const lesson = course.lessons.find((l) => l.slug === current.lessonSlug)!;
  const Content = getMDXComponent(page.code);
  const { previous, next } = neighbours(course.pages, current);
  if (page.cells.length > 0) preloadSandbox(lesson.assets);
  // The student's work is kept per lesson, so the work panel knows every cell on every page of it.
  const contents: LessonContents = {
    lesson: lesson.slug,
    cells: lesson.pages.flatMap((p) => (compiled.get(p.file)?.cells ?? []).map((cell) => ({ id: cell.id, label: `${cell.title ?? cell.id} (page ${p.pageInLesson})` }))),
    exercises: lesson.pages.flatMap((p) => p.exercises),
  };

  return (
    <>
      {page.cells.length > 0 && <SandboxBoot assets={lesson.assets} />}
      <SiteHeader courseTitle={course.title} position={{ page: current.pageInCourse, of: current.pagesInCourse }} />
      <div className={styles.layout}>
        <div className={styles.sidebar}>
          <LessonOutline lesson={lesson} current={current} headings={page.headings} />
          <LessonWorkPanel contents={contents} />
          <KeyboardHelp />
        </div>
        <main id="main" className={styles.article} data-lesson={current.lessonSlug}>
          <p className={styles.eyebrow}>
            <strong>{current.lessonTitle}</strong> · Page {current.pageInLesson} of {current.pagesInLesson}
          </p>
          <h1 className={styles.title}>{current.title}</h1>
          {current.description && <p className={styles.lede}>{current.description}</p>}
          <SharedLinkProblem />
          <div className="prose">
            <LessonProvider lesson={current.lessonSlug} typings={lesson.typings}>
              <PreparedCellsProvider cells={page.prepared}>
                <Content components={mdxComponents} />
              </PreparedCellsProvider>
            </LessonProvider>
          </div>
          <PageNav current={current} previous={previous} next={next} />
        </main>
      </div>
    </>
  );
}
