'use client';

import { useEffect, useImperativeHandle, useRef, type CSSProperties, type Ref } from 'react';
import type * as MonacoApi from 'monaco-editor';
import { ChangeEchoes } from './changeEchoes';
import { cellLanguage, loadMonaco, startTypeChecking, type Monaco } from './loadMonaco';

/** A problem found by running the cell. Lines and columns are 1-based; columns count UTF-16 code units. */
export interface RunMarker {
  line: number;
  column: number;
  /** Defaults to `line`. */
  endLine?: number;
  /** Defaults to the end of `endLine`. */
  endColumn?: number;
  message: string;
  severity: 'error' | 'warning';
}

/** A marker from the TypeScript worker, in the same coordinates as RunMarker. */
export interface EditorDiagnostic {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  severity: 'error' | 'warning' | 'info' | 'hint';
  /** TypeScript's error number, e.g. "2322". */
  code?: string;
}

export interface CodeEditorHandle {
  /** The current text (the initial value until the editor has loaded). */
  getValue(): string;
  /** Replaces the text as one undoable edit. */
  setValue(value: string): void;
  /** Shows a run's errors and warnings; replaces the previous run's. Independent of type diagnostics. */
  setRunMarkers(markers: readonly RunMarker[]): void;
  /** Scrolls the line into view and puts the cursor at its start. */
  revealLine(line: number): void;
  focus(): void;
  /** Puts the cursor at a 1-based line and column (clamped to the text) and focuses the editor. */
  focusAt(line: number, column: number): void;
  /** Types text at the cursor, as the keyboard would (the first keys pressed before the editor loaded). */
  type(text: string): void;
  /**
   * The TypeScript worker's markers for this cell as last shown (type errors warn; they do not block a
   * run). They trail typing by about half a second; checkTypes() answers for the text as it is now.
   */
  getDiagnostics(): EditorDiagnostic[];
  /** Asks the TypeScript worker to check the current text (syntax and types) and returns what it finds. */
  checkTypes(): Promise<EditorDiagnostic[]>;
}

export interface CodeEditorProps {
  /** The page's lesson's asset names as `lesson` module types (lib/lessons/assets `lessonTypings`). */
  lessonTypings?: string;
  /** The model's URI, unique per cell, e.g. cellModelPath(id) = file:///cells/<id>/main.ts. */
  path: string;
  /**
   * Initial text. A later value that is neither the current text nor one this editor reported through
   * onChange (a controlled parent's echo) replaces the text as one undoable edit, e.g. a Reset.
   */
  value: string;
  onChange?: (value: string) => void;
  /** Ctrl+Enter / Cmd+Enter, and "Run Code" in the editor's context menu. */
  onRun?: () => void;
  ariaLabel: string;
  /** The editor's height; the parent decides it (default: fill the parent). */
  height?: number | string;
  /** Run markers as a prop, as an alternative to the handle's setRunMarkers. */
  runMarkers?: readonly RunMarker[];
  /** Called with the TypeScript worker's markers whenever they change. */
  onDiagnostics?: (diagnostics: EditorDiagnostic[]) => void;
  /** The editor has rendered; a placeholder can go. */
  onReady?: () => void;
  /** Monaco could not be loaded. */
  onLoadError?: (error: Error) => void;
  className?: string;
  ref?: Ref<CodeEditorHandle>;
}

const RUN_MARKER_OWNER = 'course-run';
const TYPESCRIPT_MARKER_OWNER = 'typescript';

interface Live {
  monaco: Monaco;
  editor: MonacoApi.editor.IStandaloneCodeEditor;
  model: MonacoApi.editor.ITextModel;
}

/**
 * The Monaco editor for one cell's main.ts, loaded on demand (see loadMonaco). Renders an empty box of
 * the given height at once and fills it when Monaco is ready, so the parent can lay a same-size
 * placeholder over it until onReady. Each instance owns one model, disposed on unmount.
 */
export function CodeEditor({
  path,
  lessonTypings = '',
  value,
  onChange,
  onRun,
  ariaLabel,
  height = '100%',
  runMarkers,
  onDiagnostics,
  onReady,
  onLoadError,
  className,
  ref,
}: CodeEditorProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  const liveRef = useRef<Live | null>(null);
  const valueRef = useRef(value);
  const echoes = useRef(new ChangeEchoes());
  const runMarkersRef = useRef<readonly RunMarker[]>(runMarkers ?? []);
  const callbacks = useRef({ onChange, onRun, onDiagnostics, onReady, onLoadError });
  callbacks.current = { onChange, onRun, onDiagnostics, onReady, onLoadError };

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    let disposed = false;
    const cleanup: MonacoApi.IDisposable[] = [];

    loadMonaco(lessonTypings).then(
      (monaco) => {
        if (disposed) return;
        const uri = monaco.Uri.parse(path);
        monaco.editor.getModel(uri)?.dispose();
        const model = monaco.editor.createModel(valueRef.current, cellLanguage(), uri);
        // Brackets in the text colour, as the page highlighted them before the editor loaded.
        model.updateOptions({ tabSize: 2, indentSize: 2, insertSpaces: true, bracketColorizationOptions: { enabled: false, independentColorPoolPerBracketType: false } });
        const editor = monaco.editor.create(host, {
          model,
          ariaLabel,
          automaticLayout: true,
          fontSize: 14,
          lineHeight: 20,
          fontFamily: getComputedStyle(document.documentElement).getPropertyValue('--font-mono').trim() || undefined,
          minimap: { enabled: false },
          scrollBeyondLastLine: false,
          // The page scrolls past a cell; the wheel only scrolls the editor when it has somewhere to go.
          scrollbar: { alwaysConsumeMouseWheel: false },
          // Hovers and suggestions escape the cell's rounded, overflow-hidden frame.
          fixedOverflowWidgets: true,
          padding: { top: 10, bottom: 10 },
          lineNumbersMinChars: 3,
          glyphMargin: false,
          folding: false,
          stickyScroll: { enabled: false },
          renderLineHighlightOnlyWhenFocus: true,
          tabSize: 2,
          insertSpaces: true,
          detectIndentation: false,
        });
        liveRef.current = { monaco, editor, model };

        editor.addAction({
          id: 'course.runCell',
          label: 'Run Code',
          keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter],
          contextMenuGroupId: 'navigation',
          contextMenuOrder: 0,
          run: () => callbacks.current.onRun?.(),
        });
        cleanup.push(
          model.onDidChangeContent(() => {
            startTypeChecking(monaco);
            valueRef.current = model.getValue();
            echoes.current.reported(valueRef.current);
            callbacks.current.onChange?.(valueRef.current);
          }),
        );
        let lastDiagnostics = '';
        cleanup.push(
          monaco.editor.onDidChangeMarkers((uris) => {
            if (!uris.some((changed) => changed.toString() === model.uri.toString())) return;
            const diagnostics = typeScriptDiagnostics(monaco, model);
            const key = JSON.stringify(diagnostics);
            if (key === lastDiagnostics) return;
            lastDiagnostics = key;
            callbacks.current.onDiagnostics?.(diagnostics);
          }),
        );
        applyRunMarkers(monaco, model, runMarkersRef.current);
        callbacks.current.onReady?.();
      },
      (error: unknown) => {
        if (!disposed) callbacks.current.onLoadError?.(error instanceof Error ? error : new Error(String(error)));
      },
    );

    return () => {
      disposed = true;
      for (const disposable of cleanup) disposable.dispose();
      const live = liveRef.current;
      liveRef.current = null;
      live?.editor.dispose();
      live?.model.dispose();
    };
    // The editor and its model live as long as the component does; a different path is another cell.
  }, [path]);

  useEffect(() => {
    if (echoes.current.isEcho(value)) return;
    const live = liveRef.current;
    if (live && live.model.getValue() !== value) replaceText(live.model, value);
    valueRef.current = live ? live.model.getValue() : value;
  }, [value]);

  useEffect(() => {
    liveRef.current?.editor.updateOptions({ ariaLabel });
  }, [ariaLabel]);

  useEffect(() => {
    if (!runMarkers) return;
    runMarkersRef.current = runMarkers;
    const live = liveRef.current;
    if (live) applyRunMarkers(live.monaco, live.model, runMarkers);
  }, [runMarkers]);

  useImperativeHandle(
    ref,
    () => ({
      getValue: () => liveRef.current?.model.getValue() ?? valueRef.current,
      setValue(next) {
        const live = liveRef.current;
        if (live) replaceText(live.model, next);
        else valueRef.current = next;
      },
      setRunMarkers(markers) {
        runMarkersRef.current = markers;
        const live = liveRef.current;
        if (live) applyRunMarkers(live.monaco, live.model, markers);
      },
      revealLine(line) {
        const live = liveRef.current;
        if (!live) return;
        const lineNumber = clamp(line, 1, live.model.getLineCount());
        live.editor.revealLineInCenterIfOutsideViewport(lineNumber);
        live.editor.setPosition({ lineNumber, column: live.model.getLineFirstNonWhitespaceColumn(lineNumber) || 1 });
      },
      focus: () => liveRef.current?.editor.focus(),
      focusAt(line, column) {
        const live = liveRef.current;
        if (!live) return;
        const lineNumber = clamp(line, 1, live.model.getLineCount());
        live.editor.setPosition({ lineNumber, column: clamp(column, 1, live.model.getLineMaxColumn(lineNumber)) });
        live.editor.focus();
      },
      type(text) {
        liveRef.current?.editor.trigger('keyboard', 'type', { text });
      },
      getDiagnostics() {
        const live = liveRef.current;
        return live ? typeScriptDiagnostics(live.monaco, live.model) : [];
      },
      async checkTypes() {
        const live = liveRef.current;
        if (!live) return [];
        startTypeChecking(live.monaco);
        return checkTypesNow(live.monaco, live.model);
      },
    }),
    [],
  );

  const style: CSSProperties = { height };
  return <div ref={hostRef} className={className} style={style} data-editor-path={path} />;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(Math.trunc(value) || min, min), max);
}

function replaceText(model: MonacoApi.editor.ITextModel, text: string): void {
  model.pushEditOperations([], [{ range: model.getFullModelRange(), text }], () => null);
}

function applyRunMarkers(monaco: Monaco, model: MonacoApi.editor.ITextModel, markers: readonly RunMarker[]): void {
  const lastLine = model.getLineCount();
  monaco.editor.setModelMarkers(
    model,
    RUN_MARKER_OWNER,
    markers.map((marker) => {
      const startLineNumber = clamp(marker.line, 1, lastLine);
      const startColumn = clamp(marker.column, 1, model.getLineMaxColumn(startLineNumber));
      const endLineNumber = clamp(marker.endLine ?? startLineNumber, startLineNumber, lastLine);
      const endMax = model.getLineMaxColumn(endLineNumber);
      let endColumn = clamp(marker.endColumn ?? endMax, 1, endMax);
      // A point (or an empty line end) still needs one character to underline.
      if (endLineNumber === startLineNumber && endColumn <= startColumn) endColumn = startColumn + 1;
      return {
        startLineNumber,
        startColumn,
        endLineNumber,
        endColumn,
        message: marker.message,
        severity: marker.severity === 'error' ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning,
        source: 'run',
      };
    }),
  );
}

function typeScriptDiagnostics(monaco: Monaco, model: MonacoApi.editor.ITextModel): EditorDiagnostic[] {
  const severity = (value: MonacoApi.MarkerSeverity): EditorDiagnostic['severity'] =>
    value === monaco.MarkerSeverity.Error ? 'error' : value === monaco.MarkerSeverity.Warning ? 'warning' : value === monaco.MarkerSeverity.Info ? 'info' : 'hint';
  return monaco.editor.getModelMarkers({ resource: model.uri, owner: TYPESCRIPT_MARKER_OWNER }).map((marker) => ({
    line: marker.startLineNumber,
    column: marker.startColumn,
    endLine: marker.endLineNumber,
    endColumn: marker.endColumn,
    message: marker.message,
    severity: severity(marker.severity),
    code: typeof marker.code === 'string' ? marker.code : marker.code?.value,
  }));
}

/** Flattens TypeScript's chained messages the way the editor's hover shows them. */
function messageText(message: string | MonacoApi.typescript.Diagnostic['messageText'], indent = 0): string {
  if (typeof message === 'string') return message;
  const head = message.messageText;
  const rest = (message.next ?? []).map((next) => '\n' + '  '.repeat(indent + 1) + messageText(next, indent + 1));
  return head + rest.join('');
}

async function checkTypesNow(monaco: Monaco, model: MonacoApi.editor.ITextModel): Promise<EditorDiagnostic[]> {
  const workerFor = await monaco.typescript.getTypeScriptWorker();
  const worker = await workerFor(model.uri);
  const file = model.uri.toString();
  const found = (await Promise.all([worker.getSyntacticDiagnostics(file), worker.getSemanticDiagnostics(file)])).flat();
  if (model.isDisposed()) return [];
  const severities = { 0: 'warning', 1: 'error', 2: 'hint', 3: 'info' } as const;
  return found.map((diagnostic) => {
    const start = model.getPositionAt(diagnostic.start ?? 0);
    const end = model.getPositionAt((diagnostic.start ?? 0) + (diagnostic.length ?? 1));
    return {
      line: start.lineNumber,
      column: start.column,
      endLine: end.lineNumber,
      endColumn: end.column,
      message: messageText(diagnostic.messageText),
      severity: severities[diagnostic.category],
      code: String(diagnostic.code),
    };
  });
}
