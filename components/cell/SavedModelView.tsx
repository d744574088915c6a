'use client';

import { useEffect, useState } from 'react';
import type { SavedModel } from '@/runtime';
import styles from './Output.module.css';

function size(bytes: number): string {
  return bytes < 1e6 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1e6).toFixed(2)} MB`;
}

/** The file name model.json's weights manifest points at (the sandbox wrote it); `${name}.weights.bin` if unreadable. */
function weightsPath(model: SavedModel, name: string): string {
  try {
    const manifest = (JSON.parse(model.json) as { weightsManifest?: { paths?: unknown[] }[] }).weightsManifest;
    const path = manifest?.[0]?.paths?.[0];
    if (typeof path === 'string') return path.replace(/^\.\//, '');
  } catch {
    // fall through
  }
  return `${name}.weights.bin`;
}

/**
 * A model a cell saved: where it is kept, and links to download it as the two files any TensorFlow.js
 * app loads with `tf.loadLayersModel('…/name.json')`.
 */
export function SavedModelView({ name, model }: { name: string; model: SavedModel }) {
  const [urls, setUrls] = useState<{ json: string; weights: string } | null>(null);
  useEffect(() => {
    const json = URL.createObjectURL(new Blob([model.json], { type: 'application/json' }));
    const weights = URL.createObjectURL(new Blob([model.weights], { type: 'application/octet-stream' }));
    setUrls({ json, weights });
    return () => {
      URL.revokeObjectURL(json);
      URL.revokeObjectURL(weights);
    };
  }, [model]);
  return (
    <div className={styles.savedModel} role="group" aria-label={`Saved model ${name}`}>
      <span>
        💾 Saved <strong>“{name}”</strong> in this browser ({size(model.json.length + model.weights.byteLength)}). Other cells of this lesson load it with{' '}
        <code>lesson.loadSavedModel({JSON.stringify(name)})</code>.
      </span>
      {urls && (
        <span className={styles.downloads}>
          Download:{' '}
          <a href={urls.json} download={`${name}.json`}>
            {name}.json
          </a>{' '}
          <a href={urls.weights} download={weightsPath(model, name)}>
            {weightsPath(model, name)}
          </a>
        </span>
      )}
    </div>
  );
}
