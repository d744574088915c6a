/**
 * Tells a controlled parent's echo of the editor's own onChange apart from a real change of its
 * `value` prop. A parent that feeds onChange back into `value` renders a keystroke or more behind a
 * fast typist; writing those stale echoes back into the model would undo keystrokes and move the cursor.
 */
export class ChangeEchoes {
  private pending: string[] = [];

  /** @param limit bounds the list when the parent never feeds onChange back into `value`. */
  constructor(private readonly limit = 100) {}

  /** Records a text the editor reported through onChange. */
  reported(text: string): void {
    this.pending.push(text);
    if (this.pending.length > this.limit) this.pending.shift();
  }

  /** Whether `value` is the echo of a reported text; that text and every one before it are then settled. */
  isEcho(value: string): boolean {
    const at = this.pending.lastIndexOf(value);
    if (at < 0) return false;
    this.pending.splice(0, at + 1);
    return true;
  }
}
