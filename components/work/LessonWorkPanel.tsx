'use client';

import { useId, useRef, useState } from 'react';
import { applyRestore, collectWork, describeWork, planChangesNothing, planRestore, undoRestore, type LessonContents, type RestorePlan, type WorkSnapshot } from './lessonWork';
import { RestoreDialog } from './RestoreDialog';
import { requestDraftFlush } from './workEvents';
import type { LessonWork } from './workFile';
import styles from './Work.module.css';

type Notice = { tone: 'info' | 'error'; text: string; undo?: WorkSnapshot };

/**
 * "Your work" for a lesson, on each of its pages: download everything the student made here as one
 * file, and restore such a file (after showing what it replaces). Drafts are per lesson, not per
 * page, so the file covers every page of the lesson.
 */
export function LessonWorkPanel({ contents }: { contents: LessonContents }) {
  const titleId = useId();
  const fileInput = useRef<HTMLInputElement>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [pending, setPending] = useState<{ fileName: string; work: LessonWork; plan: RestorePlan } | null>(null);

  // The zip and its validation load on first use: most visits never download or restore.
  const loadWorkFile = async () => {
    try {
      return await import('./workFile');
    } catch {
      setNotice({ tone: 'error', text: 'The code that reads and writes work files could not be loaded. Check your connection and try again. Nothing was changed.' });
      return null;
    }
  };

  const download = async () => {
    const workFile = await loadWorkFile();
    if (!workFile) return;
    const { encodeWorkFile, workFileName } = workFile;
    requestDraftFlush();
    const now = new Date();
    const work = collectWork(contents, now);
    const name = workFileName(contents.lesson, now);
    const bytes = encodeWorkFile(work);
    const url = URL.createObjectURL(new Blob([bytes], { type: 'application/zip' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = name;
    document.body.append(link);
    link.click();
    link.remove();
    // The download has started from the URL by the time the next task runs.
    setTimeout(() => URL.revokeObjectURL(url), 0);
    setNotice({ tone: 'info', text: `Saved ${name}: ${describeWork(work)}.` });
  };

  const onFileChosen = async () => {
    const input = fileInput.current;
    const file = input?.files?.[0];
    if (!input || !file) return;
    input.value = ''; // choosing the same file again is a change too
    const workFile = await loadWorkFile();
    if (!workFile) return;
    const { MAX_WORK_FILE_BYTES, decodeWorkFile } = workFile;
    if (file.size > MAX_WORK_FILE_BYTES) {
      setNotice({ tone: 'error', text: `“${file.name}” is ${(file.size / 1e6).toFixed(1)} MB, far larger than any lesson's work, so it is not a work file. Nothing was changed.` });
      return;
    }
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await file.arrayBuffer());
    } catch {
      setNotice({ tone: 'error', text: `“${file.name}” could not be read. Nothing was changed.` });
      return;
    }
    const decoded = decodeWorkFile(bytes, contents.lesson);
    if (!decoded.ok) {
      setNotice({ tone: 'error', text: `“${file.name}”: ${decoded.message}` });
      return;
    }
    requestDraftFlush();
    const plan = planRestore(contents, decoded.work);
    if (planChangesNothing(plan)) {
      setNotice({ tone: 'info', text: `“${file.name}” holds the same work as this browser: there is nothing to restore.` });
      return;
    }
    setNotice(null);
    setPending({ fileName: file.name, work: decoded.work, plan });
  };

  const confirm = () => {
    if (!pending) return;
    setPending(null);
    // Planned again: the student may have edited a cell while the dialog was open.
    const plan = planRestore(contents, pending.work);
    const result = applyRestore(contents.lesson, pending.work, plan);
    setNotice(
      result.ok
        ? { tone: 'info', text: `Restored your work from “${pending.fileName}”.`, undo: result.undo }
        : { tone: 'error', text: result.message },
    );
  };

  const undo = (snapshot: WorkSnapshot) => {
    const failure = undoRestore(snapshot);
    setNotice(failure ? { tone: 'error', text: `The restore could not be undone completely: ${failure}` } : { tone: 'info', text: 'Undone: your work is as it was before the restore.' });
  };

  return (
    <section className={styles.panel} aria-labelledby={titleId}>
      <h2 id={titleId} className={styles.title}>
        Your work
      </h2>
      <p className={styles.note}>Your edits, exercise progress and drawings in this lesson are saved in this browser only.</p>
      <div className={styles.actions}>
        <button type="button" className={styles.button} onClick={() => void download()}>
          Download my work
        </button>
        <button type="button" className={styles.button} onClick={() => fileInput.current?.click()}>
          Restore from a file…
        </button>
        <input ref={fileInput} type="file" accept=".zip,application/zip" hidden onChange={() => void onFileChosen()} data-restore-input="" />
      </div>
      <p role="status" className={styles.status}>
        {notice?.tone === 'info' ? notice.text : ''}
        {notice?.undo && (
          <>
            {' '}
            <button type="button" className={styles.inline} onClick={() => undo(notice.undo!)}>
              Undo the restore
            </button>
          </>
        )}
      </p>
      <p role="alert" className={styles.error}>
        {notice?.tone === 'error' ? notice.text : ''}
      </p>
      {pending && <RestoreDialog fileName={pending.fileName} work={pending.work} plan={pending.plan} onConfirm={confirm} onCancel={() => setPending(null)} />}
    </section>
  );
}
